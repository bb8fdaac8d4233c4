import type { AuthSettings } from "./auth/auth-settings.js";
import type { Bank } from "./domain/bank.js";
import type { ReadModels } from "./read-models/read-models.js";

/**
 * Erases a data subject's personal data through the runtime's crypto-shredding (the subject's key
 * is deleted; events stay and read back with the erased marker).
 */
export interface SubjectErasure {
  /** Erases the subject; idempotent. Returns the runtime's outcome (`erased`, `already-erased`, `unknown-subject`). */
  erase(subjectId: string): Promise<string>;
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
  /** Key of the requests' fingerprints (see `http/request-fingerprint.ts`). */
  readonly fingerprintKey: Uint8Array;
  /** Tokens and users (see `auth/`). */
  readonly auth: AuthSettings;
}
