import { describe, expect, it } from "vitest";
import { CryptoParameterError, isCryptoError } from "./crypto-errors.js";
import { caught, readAeadVectors, vectorBytes, type AeadTestGroup } from "./testing/wycheproof-aead.js";
import { randomXNonce, xchachaOpen, xchachaSeal } from "./xchacha20-poly1305.js";

const vectors = readAeadVectors("xchacha20_poly1305_test.json");

const supported = (group: AeadTestGroup): boolean => group.keySize === 256 && group.ivSize === 192 && group.tagSize === 128;

describe("XChaCha20-Poly1305 wrapper against Wycheproof xchacha20_poly1305_test.json", () => {
  const counts = { valid: 0, invalid: 0, acceptable: 0, refused: 0 };

  it("is the XChaCha20-Poly1305 file", () => {
    expect(vectors.algorithm).toBe("XCHACHA20-POLY1305");
  });

  for (const group of vectors.testGroups) {
    const name = `key ${group.keySize}, iv ${group.ivSize}, tag ${group.tagSize}`;
    if (supported(group)) {
      it(`${name}: ${group.tests.length} vectors`, () => {
        for (const test of group.tests) {
          const { key, iv, aad, msg, ct, tag } = vectorBytes(test);
          const sealed = Buffer.concat([ct, tag]);
          if (test.result === "valid") {
            expect(xchachaSeal(key, iv, msg, aad).toString("hex"), `tc ${test.tcId}`).toBe(test.ct + test.tag);
            expect(xchachaOpen(key, iv, sealed, aad).toString("hex"), `tc ${test.tcId}`).toBe(test.msg);
          } else if (test.result === "invalid") {
            expect(isCryptoError(caught(() => xchachaOpen(key, iv, sealed, aad)), "CRYPTO_AUTHENTICATION"), `tc ${test.tcId}`).toBe(true);
          } else {
            try {
              expect(xchachaOpen(key, iv, sealed, aad).toString("hex")).toBe(test.msg);
            } catch (error) {
              expect(isCryptoError(error)).toBe(true);
            }
          }
          counts[test.result] += 1;
        }
      });
    } else {
      it(`${name}: all ${group.tests.length} vectors refused by design`, () => {
        for (const test of group.tests) {
          const { key, iv, aad, msg, ct, tag } = vectorBytes(test);
          for (const error of [caught(() => xchachaSeal(key, iv, msg, aad)), caught(() => xchachaOpen(key, iv, Buffer.concat([ct, tag]), aad))]) {
            expect(error).toBeInstanceOf(CryptoParameterError);
            expect((error as CryptoParameterError).parameter).toBe("nonce");
            expect((error as Error).message).toContain("XChaCha20-Poly1305 nonce refused");
          }
          counts.refused += 1;
        }
      });
    }
  }

  it("ran every vector through the wrapper", () => {
    expect(counts.valid + counts.invalid + counts.acceptable + counts.refused).toBe(vectors.numberOfTests);
    expect(counts.refused).toBe(9);
    expect(counts.valid).toBeGreaterThan(0);
    expect(counts.invalid).toBeGreaterThan(0);
  });
});

describe("XChaCha20-Poly1305 wrapper parameters", () => {
  const key = Buffer.alloc(32, 7);
  const nonce = randomXNonce();

  it("round-trips and fails on another associated data", () => {
    const sealed = xchachaSeal(key, nonce, Buffer.from("hello"), Buffer.from("a"));
    expect(xchachaOpen(key, nonce, sealed, Buffer.from("a")).toString()).toBe("hello");
    expect(isCryptoError(caught(() => xchachaOpen(key, nonce, sealed, Buffer.from("b"))), "CRYPTO_AUTHENTICATION")).toBe(true);
  });

  it("draws a different 24-byte nonce each time", () => {
    expect(nonce.byteLength).toBe(24);
    expect(randomXNonce().equals(randomXNonce())).toBe(false);
  });

  it.each([16, 31, 33])("refuses a %i-byte key", (length) => {
    const error = caught(() => xchachaSeal(Buffer.alloc(length), nonce, Buffer.from("x"), Buffer.alloc(0)));
    expect((error as CryptoParameterError).parameter).toBe("key");
  });

  it.each([0, 8, 15])("refuses a sealed message of %i bytes (shorter than the tag)", (length) => {
    const error = caught(() => xchachaOpen(key, nonce, Buffer.alloc(length), Buffer.alloc(0)));
    expect((error as CryptoParameterError).parameter).toBe("tag");
  });
});
