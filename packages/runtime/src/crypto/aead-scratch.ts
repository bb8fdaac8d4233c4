/**
 * A scratch area for the synchronous seal and open of one small envelope: nonce, ciphertext,
 * associated data and plaintext are written into one reused buffer instead of four fresh ones per
 * event (on a read of 10,000 events the allocations and their garbage cost more than the
 * cryptography). Whoever puts plaintext into it zeroes that region before returning; nothing is
 * awaited while it is in use, so one area per thread is enough.
 */
import sodium from "sodium-native";

/** Bytes kept between uses. A larger request gets a buffer of its own, dropped after the call. */
const KEPT_BYTES = 64 * 1024;

let area = Buffer.alloc(4 * 1024); // alloc: never a slice of node's shared pool

/** A buffer of at least `bytes`, all of whose bytes the caller may overwrite until it returns. */
export function scratchArea(bytes: number): Buffer {
  if (bytes <= area.byteLength) return area;
  if (bytes > KEPT_BYTES) return Buffer.alloc(bytes);
  area.fill(0);
  let size = area.byteLength;
  while (size < bytes) size *= 2;
  area = Buffer.alloc(size);
  return area;
}

/** A view of `length` bytes at `offset` of `buffer` (a plain view: cheaper than `Buffer#subarray`, enough for libsodium). */
export function view(buffer: Buffer, offset: number, length: number): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
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
