/**
 * The store's personal-data options, and the envelope format new writes use. A store writes the
 * newest format by default; during a rolling upgrade, while processes of an older release still
 * read the same events, it can keep writing the newest format those read (docs/crypto-shredding.md,
 * "Formats").
 *
 * @module
 */
import { InvalidArgumentError } from "../errors.js";
import { READABLE_ENVELOPE_VERSIONS } from "./envelope.js";
import type { EnvelopeVersion } from "./envelope.js";
import type { KekProvider } from "./kek-provider.js";
import type { DekCacheOptions } from "./subject-keys.js";

/** An envelope format a store can write: any format it reads (2 AES-256-GCM, 3 and 4 XChaCha20-Poly1305). */
export type WritableEnvelopeFormat = EnvelopeVersion;

/** How a store encrypts personal data (`createEventStore`'s `personalData`). */
export interface PersonalDataOptions {
  /** Who wraps the data keys: `LocalKekProvider.fromEnv()`, or a KMS. */
  readonly kek: KekProvider;
  /** The unwrapped data-key cache. */
  readonly cache?: DekCacheOptions;
  /**
   * The format of new writes (default 4, the newest). Set it to the newest format every process
   * reading these events understands while an older release still runs (3 for releases before
   * format 4, 2 for those before format 3), and remove it once all run this one. Reads take
   * every format whatever this says.
   */
  readonly envelopeFormat?: WritableEnvelopeFormat;
}

/**
 * Refuses an `envelopeFormat` this runtime cannot write.
 *
 * @throws {@link InvalidArgumentError} naming the formats it can write.
 */
export function checkEnvelopeFormat(format: unknown): asserts format is WritableEnvelopeFormat | undefined {
  if (format === undefined || (READABLE_ENVELOPE_VERSIONS as readonly unknown[]).includes(format)) return;
  throw new InvalidArgumentError(`personalData.envelopeFormat must be one of ${READABLE_ENVELOPE_VERSIONS.join(", ")} (got ${JSON.stringify(format) ?? String(format)}).`);
}
