import type { AuthSettings } from "./auth/auth-settings.js";
import type { Bank } from "./domain/bank.js";
import type { FingerprintKeys } from "./http/request-fingerprint.js";
import type { ReadModels } from "./read-models/read-models.js";

/** Where an erasure stands: the runtime's outcome and every place that is not done yet. */
export interface ErasureOutcome {
  /** `erased`, `already-erased`, `unknown-subject` (complete), or `pending` / `failed` (the key is gone, a place is not done). */
  readonly outcome: string;
  /** Places not done yet (a projection behind or stopped), without personal data. */
  readonly pending: readonly { readonly place: string; readonly status: string; readonly detail?: string }[];
}

/**
 * Erases a data subject's personal data through the runtime's crypto-shredding (the subject's key
 * is deleted; events stay and read back with the erased marker).
 */
export interface SubjectErasure {
  /** Erases the subject; idempotent (a rerun checks the places again). */
  erase(subjectId: string): Promise<ErasureOutcome>;
  /** The subject's latest erasure, its places checked now; `undefined` when none was asked for. */
  status(subjectId: string): Promise<ErasureOutcome | undefined>;
  /** Every personal field stored about the subject, decrypted (data-subject access). */
  exportSubject(subjectId: string): Promise<unknown>;
}

/** Everything the HTTP layer talks to. */
export interface BankingServices {
  readonly bank: Bank;
  readonly readModels: ReadModels;
  /** `undefined` when the app runs without crypto-shredding: the erasure endpoint then answers 501. */
  readonly erasure: SubjectErasure | undefined;
  /** How long `POST /transfers` waits for the transfer process's outcome before answering 202. */
  readonly transferWaitMs: number;
  /** Keys of the requests' fingerprints (see `http/request-fingerprint.ts`). */
  readonly fingerprintKeys: FingerprintKeys;
  /** Tokens and users (see `auth/`). */
  readonly auth: AuthSettings;
}
