/**
 * KEK rotation: re-wrap every data key with another KEK. Only the key store changes; events,
 * envelopes and data keys stay as they are, so every event stays readable throughout.
 */
import { isCryptoError, KeyUnwrapError } from "./crypto-errors.js";
import { dataKeyContext } from "./kek-provider.js";
import type { KekProvider } from "./kek-provider.js";
import type { KeyStore, StoredSubjectKey } from "./key-store.js";

/** Progress of a rotation, reported after every page and returned at the end. */
export interface KekRotationReport {
  /** The KEK every key is now wrapped with. */
  readonly toKekId: string;
  /** Keys looked at. */
  readonly scanned: number;
  /** Keys re-wrapped by this run. */
  readonly rewrapped: number;
  /** Keys that already were wrapped by the target KEK (an earlier, interrupted run). */
  readonly alreadyCurrent: number;
  /** Keys erased or re-wrapped by someone else while this run was working on them. */
  readonly skipped: number;
}

/** Options of {@link SubjectKeys.rotateKek}. */
export interface KekRotationOptions {
  /** Target KEK id. Default: the provider's current KEK. */
  readonly toKekId?: string;
  /** Keys read per page. Default 500. */
  readonly batchSize?: number;
  /** Called after every page with the counts so far. */
  readonly onProgress?: (progress: KekRotationReport) => void;
}

/** KEK rotation over a key store; see {@link SubjectKeys.rotateKek}. */
export async function rotateKek(store: KeyStore, keks: KekProvider, options: KekRotationOptions): Promise<KekRotationReport> {
  const toKekId = options.toKekId ?? keks.currentKekId();
  const limit = options.batchSize ?? 500;
  let report: KekRotationReport = { toKekId, scanned: 0, rewrapped: 0, alreadyCurrent: 0, skipped: 0 };
  let afterKeyId: string | undefined;
  for (;;) {
    const page = await store.listKeys(afterKeyId === undefined ? { limit } : { afterKeyId, limit });
    if (page.length === 0) return report;
    for (const key of page) {
      const outcome = key.kekId === toKekId ? "alreadyCurrent" : await rewrap(store, keks, key, toKekId);
      report = { ...report, scanned: report.scanned + 1, [outcome]: report[outcome] + 1 };
    }
    afterKeyId = page.at(-1)?.keyId;
    options.onProgress?.(report);
  }
}

async function rewrap(store: KeyStore, keks: KekProvider, key: StoredSubjectKey, toKekId: string): Promise<"rewrapped" | "skipped"> {
  const context = dataKeyContext(key.keyId);
  let dek: Uint8Array;
  try {
    dek = await keks.unwrap(key.kekId, key.wrappedDek, context);
  } catch (cause) {
    if (isCryptoError(cause, "KEK_NOT_FOUND")) throw cause;
    throw new KeyUnwrapError(key.kekId, key.keyId, "cannot re-wrap it; the rotation stopped here and can be run again once the KEK is fixed.", { cause });
  }
  try {
    const wrapped = await keks.wrap(toKekId, dek, context);
    return (await store.replaceWrapping(key.keyId, wrapped, toKekId, key.kekId)) ? "rewrapped" : "skipped";
  } finally {
    dek.fill(0);
  }
}
