/**
 * Scratch memory for the synchronous seal and open of one envelope: nonce, ciphertext,
 * associated data and plaintext are written into reused buffers instead of four fresh ones per
 * event (on a read of 10,000 events the allocations and their garbage cost more than the
 * cryptography). Whoever puts plaintext into them zeroes that region before returning; nothing
 * is awaited while they are in use, so one set per thread is enough.
 */
import sodium from "sodium-native";
import { XCHACHA_NONCE_BYTES, XCHACHA_TAG_BYTES } from "./xchacha20-poly1305.js";

/** A view of `length` bytes at `offset` of `buffer` (a plain view: cheaper than `Buffer#subarray`, enough for libsodium). */
export function view(buffer: Buffer, offset: number, length: number): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
}

/** Views of {@link SmallArea} for one open: the nonce, ciphertext ‖ tag after it, and the plaintext region. */
export interface OpenViews {
  readonly nonce: Uint8Array;
  readonly sealed: Uint8Array;
  readonly plain: Uint8Array;
}

/**
 * Three fixed regions of one buffer, for the messages envelopes usually are (a few fields of a
 * subject): the sealed message (nonce ‖ ciphertext ‖ tag) at 0, the associated data at
 * `aadAt`, the plaintext at `plainAt`, each {@link SmallArea.region} bytes. Views are cached by
 * length, so an open allocates none.
 */
export class SmallArea {
  static readonly region = 1024;
  readonly aadAt = SmallArea.region;
  readonly plainAt = 2 * SmallArea.region;
  readonly buffer = Buffer.alloc(3 * SmallArea.region); // alloc: never a slice of node's shared pool
  readonly #views = new Map<number, Uint8Array>();

  /** Whether a message of these sizes fits (`aadBytes` and `plainBytes` as upper bounds). */
  fits(sealedMessageBytes: number, aadBytes: number, plainBytes: number): boolean {
    return sealedMessageBytes <= SmallArea.region && aadBytes <= SmallArea.region && plainBytes <= SmallArea.region;
  }

  readonly #opens: (OpenViews | undefined)[] = [];

  /**
   * The views one XChaCha20-Poly1305 open of a sealed message of `sealedMessageBytes` (nonce ‖
   * ciphertext ‖ tag, decoded at 0; at least nonce and tag, at most {@link SmallArea.region})
   * needs: one array lookup per open instead of three map lookups.
   */
  opening(sealedMessageBytes: number): OpenViews {
    let views = this.#opens[sealedMessageBytes];
    if (views === undefined) {
      const sealedBytes = sealedMessageBytes - XCHACHA_NONCE_BYTES;
      views = {
        nonce: view(this.buffer, 0, XCHACHA_NONCE_BYTES),
        sealed: view(this.buffer, XCHACHA_NONCE_BYTES, sealedBytes),
        plain: view(this.buffer, this.plainAt, sealedBytes - XCHACHA_TAG_BYTES),
      };
      this.#opens[sealedMessageBytes] = views;
    }
    return views;
  }

  /** The cached view of `length` bytes at `offset` (one of the region starts, or the nonce's end). */
  at(offset: number, length: number): Uint8Array {
    const key = offset * (SmallArea.region + 1) + length;
    let cached = this.#views.get(key);
    if (cached === undefined) {
      cached = view(this.buffer, offset, length);
      this.#views.set(key, cached);
    }
    return cached;
  }
}

/** The area of this thread. */
export const smallArea = new SmallArea();

/** Bytes kept between uses of {@link scratchArea}. A larger request gets a buffer of its own, dropped after the call. */
const KEPT_BYTES = 64 * 1024;

let area = Buffer.alloc(4 * 1024);

/** A buffer of at least `bytes` for a message too large for {@link smallArea}; the caller may overwrite all of it until it returns. */
export function scratchArea(bytes: number): Buffer {
  if (bytes <= area.byteLength) return area;
  if (bytes > KEPT_BYTES) return Buffer.alloc(bytes);
  area.fill(0);
  let size = area.byteLength;
  while (size < bytes) size *= 2;
  area = Buffer.alloc(size);
  return area;
}

/** Random bytes drawn ahead from libsodium: one `randombytes_buf` per 170 nonces instead of one each (a system call on Linux). */
const pool = Buffer.alloc(4080);
let drawn = pool.byteLength;

/**
 * Copies `length` fresh random bytes (libsodium's CSPRNG) to `target` at `offset`. Every byte of
 * the pool is handed out once and zeroed as it goes, so no two nonces share bytes.
 */
export function fillRandom(target: Uint8Array, offset: number, length: number): void {
  if (length > pool.byteLength) {
    sodium.randombytes_buf(Buffer.from(target.buffer, target.byteOffset + offset, length));
    return;
  }
  if (drawn + length > pool.byteLength) {
    sodium.randombytes_buf(pool);
    drawn = 0;
  }
  pool.copy(target, offset, drawn, drawn + length);
  pool.fill(0, drawn, drawn + length);
  drawn += length;
}
