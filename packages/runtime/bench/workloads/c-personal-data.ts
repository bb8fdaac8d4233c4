import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from "node:crypto";
import { createEventStore, defineRegistry } from "@strata/runtime";
import type { EventShape, EventStore, EventTypeSpec, PiiFieldSpec } from "@strata/runtime";
import sodium from "sodium-native";
import { z } from "zod";
import { Check } from "../harness/checks.js";
import { median } from "../harness/report.js";
import { scaled } from "../harness/workload.js";
import type { Workload } from "../harness/workload.js";
import { openPersonalDataStore } from "./open-pd-store.js";

type Payment = EventShape<"PaymentMade", { readonly customerId: string; readonly name: string; readonly email: string; readonly amount: number; readonly reference: string }>;

const paymentSpec = (pii: readonly PiiFieldSpec[]): EventTypeSpec => ({
  type: "PaymentMade",
  latestVersion: 1,
  versions: {
    1: {
      version: 1,
      validator: z.strictObject({ customerId: z.uuid(), name: z.string(), email: z.email(), amount: z.int().min(0), reference: z.string() }),
      pii,
    },
  },
  upcasters: [],
});

/** The same event type twice: without personal fields, and with `name` and `email` personal data of `customerId`. */
const plainRegistry = defineRegistry<Payment>({ context: "bench-pii", events: { PaymentMade: paymentSpec([]) } });
const piiRegistry = defineRegistry<Payment>({
  context: "bench-pii",
  events: {
    PaymentMade: paymentSpec([
      { path: "/name", subject: "/customerId" },
      { path: "/email", subject: "/customerId" },
    ]),
  },
});

const CUSTOMERS = 100;
const BATCH = 100;

/**
 * C: crypto-shredding overhead, Strata against itself. The same 10,000 payments (two personal
 * fields each, 100 data subjects) are appended, in appends of 100 alternating between a plain
 * store and a personal-data store, then each stream is read in full, alternately (the order
 * flips every round), with the data keys cached after a first untimed read. The figure is the
 * median over rounds of the per-round ratio (personal-data read time / plain read time), so a
 * load spike on the shared machine distorts one ratio, not the figure. A third reader in the same
 * rounds reads the encrypted stream through the plain store (rows as stored, not decrypted): its
 * ratio is what the larger stored form costs before any decryption (C1/stored). Each read's
 * client CPU (this process, `process.cpuUsage`) is kept too: C1's details give the medians per
 * event, a figure the load of a shared machine moves less than the wall clock.
 */
export const cPersonalData: Workload = {
  id: "C",
  title: "Crypto-shredding: read and append overhead of two personal fields per event",
  figures: [
    { id: "C1", label: "C1 read 10k events with 2 personal fields ÷ without (keys cached)", unit: "×", goal: 1.3, goalOn: "at-most" },
    { id: "C1/append", label: "C1 append 10k events with 2 personal fields ÷ without", unit: "×", goal: 1.5, goalOn: "at-most" },
    { id: "C1/stored", label: "C1 share of the stored form: plain store reading the encrypted rows as stored (no decryption) ÷ plain read", unit: "×", goal: 0, goalOn: "none" },
    { id: "C1/floor", label: "C1 floor: plain read + one bare XChaCha20-Poly1305 open per event ÷ plain read", unit: "×", goal: 0, goalOn: "none" },
    { id: "C1/floor-gcm", label: "C1 floor of format 2: plain read + one bare AES-256-GCM open per event ÷ plain read", unit: "×", goal: 0, goalOn: "none" },
  ],
  poolSize: 2,
  targets: ["strata"],
  async run(run) {
    const size = scaled(10_000, run.scale, BATCH);
    const rounds = run.scale >= 1 ? 9 : 5;
    const customers = Array.from({ length: CUSTOMERS }, () => randomUUID());
    const payments: Payment[] = Array.from({ length: size }, (_, i) => ({
      type: "PaymentMade",
      data: { customerId: customers[i % CUSTOMERS] ?? "", name: `Customer ${i % CUSTOMERS}`, email: `c${i % CUSTOMERS}@example.org`, amount: i, reference: `ref-${run.tag}-${i}` },
    }));
    const plain = await createEventStore({ registry: plainRegistry, database: { kind: "postgres", connectionString: run.databaseUrl, poolSize: 2 }, schema: run.schema, migrate: false });
    const pd = await openPersonalDataStore(run, piiRegistry, 2);
    const stores = [
      ["plain", plain, `${run.tag}-plain`],
      ["pii", pd.events, `${run.tag}-pii`],
    ] as const;
    try {
      const check = new Check();
      // Appends, alternating store per batch; per pair the ratio of their times.
      const appendRatios: number[] = [];
      const appendMs = { plain: 0, pii: 0 };
      for (let v = 0; v < size; v += BATCH) {
        const batch = payments.slice(v, v + BATCH);
        const ms = { plain: 0, pii: 0 };
        for (const [name, store, streamId] of v % (2 * BATCH) === 0 ? stores : [...stores].reverse()) {
          const start = performance.now();
          await store.append(streamId, batch, { expectedVersion: v === 0 ? "no_stream" : v });
          ms[name] = performance.now() - start;
          appendMs[name] += ms[name];
        }
        appendRatios.push(ms.pii / ms.plain);
      }
      await run.analyze();
      // Reads: one untimed read each (the pii one fills the key cache), then alternating rounds.
      for (const [name, store, streamId] of stores) verify(check, name, await readAll(store, streamId), payments);
      // A third reader times the encrypted rows through the plain store: what their size alone costs.
      const readers = [...stores, ["stored", plain, `${run.tag}-pii`]] as const;
      const readRatios: number[] = [];
      const storedRatios: number[] = [];
      const readMs = { plain: [] as number[], pii: [] as number[], stored: [] as number[] };
      // This process's CPU per read (user + system, µs): less sensitive to other load on the machine than the wall clock.
      const readCpuUs = { plain: [] as number[], pii: [] as number[], stored: [] as number[] };
      for (let r = 0; r < rounds; r++) {
        const ms = { plain: 0, pii: 0, stored: 0 };
        for (const [name, store, streamId] of r % 2 === 0 ? readers : [...readers].reverse()) {
          const cpu = process.cpuUsage();
          const start = performance.now();
          const read = await readAll(store, streamId);
          ms[name] = performance.now() - start;
          const used = process.cpuUsage(cpu);
          readCpuUs[name].push(used.user + used.system);
          readMs[name].push(ms[name]);
          if (read.length !== size) check.fail(`${name} read ${read.length} events of ${size}`);
        }
        readRatios.push(ms.pii / ms.plain);
        storedRatios.push(ms.stored / ms.plain);
      }
      const openMs = bareXChaChaOpens(size);
      const gcmOpenMs = bareGcmOpens(size);
      // The stored rows of the pii stream must not hold the plaintext (checked through the plain
      // store, which does not decrypt: it reads the envelopes as stored).
      const stored = await readAll(plain, `${run.tag}-pii`);
      const leaked = stored.filter((e) => JSON.stringify(e.data).includes("@example.org")).length;
      if (leaked > 0) check.fail(`${leaked} stored events of the personal-data stream hold an e-mail in plaintext`);
      const result = check.result();
      const readTotal = [...readMs.plain, ...readMs.pii].reduce((a, b) => a + b, 0);
      const storedTotal = readMs.stored.reduce((a, b) => a + b, 0);
      return [
        {
          figure: "C1",
          operations: size * rounds * 2,
          ms: readTotal,
          value: median(readRatios),
          check: result,
          details: {
            events: size,
            rounds,
            plainReadMedianMs: round(median(readMs.plain)),
            piiReadMedianMs: round(median(readMs.pii)),
            plainClientCpuUsPerEvent: round2(median(readCpuUs.plain) / size),
            piiClientCpuUsPerEvent: round2(median(readCpuUs.pii) / size),
            piiClientCpuRatio: round2(median(readCpuUs.pii) / median(readCpuUs.plain)),
          },
        },
        {
          figure: "C1/stored",
          operations: size * rounds,
          ms: storedTotal,
          value: median(storedRatios),
          check: result,
          details: { events: size, rounds, storedReadMedianMs: round(median(readMs.stored)), storedClientCpuUsPerEvent: round2(median(readCpuUs.stored) / size) },
        },
        {
          figure: "C1/floor",
          operations: size,
          ms: openMs,
          value: (median(readMs.plain) + openMs) / median(readMs.plain),
          check: result,
          details: { opens: size, openMs: round(openMs), openMicroseconds: round((openMs * 1000) / size) },
        },
        {
          figure: "C1/floor-gcm",
          operations: size,
          ms: gcmOpenMs,
          value: (median(readMs.plain) + gcmOpenMs) / median(readMs.plain),
          check: result,
          details: { opens: size, openMs: round(gcmOpenMs), openMicroseconds: round((gcmOpenMs * 1000) / size) },
        },
        {
          figure: "C1/append",
          operations: 2 * size,
          ms: appendMs.plain + appendMs.pii,
          value: median(appendRatios),
          check: result,
          details: { batch: BATCH, plainAppendMs: round(appendMs.plain), piiAppendMs: round(appendMs.pii) },
        },
      ];
    } finally {
      await pd.close();
      await plain.close();
    }
  },
};

/**
 * Times `count` bare XChaCha20-Poly1305 opens through libsodium (envelope format 3), with
 * associated data and plaintext of the sizes C1's envelopes have: the least a read of `count`
 * encrypted events can add to the plain read. Best of three passes.
 */
function bareXChaChaOpens(count: number): number {
  const key = randomBytes(32);
  const aad = Buffer.alloc(140, 0x61);
  const messages = Array.from({ length: 100 }, () => {
    const nonce = randomBytes(24);
    const sealed = Buffer.alloc(36 + 16);
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(sealed, Buffer.alloc(36, 0x62), aad, null, nonce, key);
    return { nonce, sealed };
  });
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 3; pass++) {
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const { nonce, sealed } = messages[i % messages.length] as (typeof messages)[number];
      sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(Buffer.allocUnsafe(36), null, sealed, aad, nonce, key);
    }
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * Times `count` bare AES-256-GCM opens through node:crypto (a decipher per message, as any
 * per-event authenticated encryption needs), with a 16-byte tag and associated data and
 * plaintext of the sizes C1's envelopes have: the least a read of `count` encrypted events can
 * add to the plain read. Best of three passes, so a load spike does not raise the floor.
 */
function bareGcmOpens(count: number): number {
  const key = randomBytes(32);
  const aad = Buffer.alloc(140, 0x61);
  const messages = Array.from({ length: 100 }, () => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: 16 });
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(Buffer.alloc(36, 0x62)), cipher.final()]);
    return { nonce, ciphertext, tag: cipher.getAuthTag() };
  });
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 3; pass++) {
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const { nonce, ciphertext, tag } = messages[i % messages.length] as (typeof messages)[number];
      const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: 16 });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      decipher.update(ciphertext);
      decipher.final();
    }
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

async function readAll(store: EventStore<Payment>, streamId: string): Promise<Payment[]> {
  const events: Payment[] = [];
  for await (const event of store.readStream(streamId)) events.push({ type: event.type, data: event.data });
  return events;
}

/** Every event read back equals what was appended, personal fields decrypted. */
function verify(check: Check, name: string, read: readonly Payment[], appended: readonly Payment[]): void {
  if (read.length !== appended.length) check.fail(`${name} read ${read.length} events, ${appended.length} appended`);
  read.forEach((event, i) => {
    const want = appended[i]?.data;
    const got = event.data;
    if (want === undefined || got.name !== want.name || got.email !== want.email || got.amount !== want.amount || got.reference !== want.reference) {
      check.fail(`${name} event ${i + 1} differs from the appended one`);
    }
  });
}
