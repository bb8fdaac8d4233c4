import { describe, expect, it } from "vitest";
import { open, seal } from "./aes-gcm.js";
import { CryptoParameterError, isCryptoError } from "./crypto-errors.js";
import { caught, readAeadVectors, vectorBytes, type AeadTestGroup } from "./testing/wycheproof-aead.js";

const vectors = readAeadVectors("aes_gcm_test.json");

const supported = (group: AeadTestGroup): boolean => group.keySize === 256 && group.ivSize === 96 && group.tagSize === 128;
const refusedParameter = (group: AeadTestGroup): "key" | "nonce" | "tag" => (group.keySize !== 256 ? "key" : group.ivSize !== 96 ? "nonce" : "tag");

describe("AES-GCM wrapper against Wycheproof aes_gcm_test.json", () => {
  const counts = { valid: 0, invalid: 0, acceptable: 0, refused: 0 };

  it("is the AES-GCM file", () => {
    expect(vectors.algorithm).toBe("AES-GCM");
  });

  for (const group of vectors.testGroups) {
    const name = `key ${group.keySize}, iv ${group.ivSize}, tag ${group.tagSize}`;
    if (supported(group)) {
      for (const test of group.tests) {
        it(`${name}: tc ${test.tcId} (${test.result}, ${test.flags.join(" ")})`, () => {
          const { key, iv, aad, msg, ct, tag } = vectorBytes(test);
          if (test.result === "valid") {
            const sealed = seal(key, iv, msg, aad);
            expect(Buffer.from(sealed.ciphertext).toString("hex")).toBe(test.ct);
            expect(Buffer.from(sealed.tag).toString("hex")).toBe(test.tag);
            expect(Buffer.from(open(key, iv, { ciphertext: ct, tag }, aad)).toString("hex")).toBe(test.msg);
          } else if (test.result === "invalid") {
            const error = caught(() => open(key, iv, { ciphertext: ct, tag }, aad));
            expect(isCryptoError(error, "CRYPTO_AUTHENTICATION")).toBe(true);
          } else {
            // Acceptable: either outcome, but never bytes other than msg.
            try {
              expect(Buffer.from(open(key, iv, { ciphertext: ct, tag }, aad)).toString("hex")).toBe(test.msg);
            } catch (error) {
              expect(isCryptoError(error)).toBe(true);
            }
          }
          counts[test.result] += 1;
        });
      }
    } else {
      it(`${name}: all ${group.tests.length} vectors refused by design`, () => {
        const parameter = refusedParameter(group);
        for (const test of group.tests) {
          const { key, iv, aad, msg, ct, tag } = vectorBytes(test);
          for (const error of [caught(() => seal(key, iv, msg, aad)), caught(() => open(key, iv, { ciphertext: ct, tag }, aad))]) {
            expect(error).toBeInstanceOf(CryptoParameterError);
            expect(isCryptoError(error, "CRYPTO_PARAMETER")).toBe(true);
            expect((error as CryptoParameterError).parameter).toBe(parameter);
          }
          counts.refused += 1;
        }
      });
    }
  }

  it("ran every vector: 39 valid and 27 invalid with Strata's parameters, the other 250 refused", () => {
    console.info(`Wycheproof AES-GCM: ${JSON.stringify(counts)} of ${vectors.numberOfTests}`);
    expect(counts.valid + counts.invalid + counts.acceptable + counts.refused).toBe(vectors.numberOfTests);
    expect(counts).toEqual({ valid: 39, invalid: 27, acceptable: 0, refused: 250 });
  });
});

describe("AES-GCM wrapper parameters", () => {
  const key = Buffer.alloc(32, 7);
  const nonce = Buffer.alloc(12, 1);
  const sealed = seal(key, nonce, Buffer.from("hello"), Buffer.alloc(0));

  it.each([12, 8, 4, 0])("refuses a %i-byte tag before trying to verify it", (length) => {
    const error = caught(() => open(key, nonce, { ciphertext: sealed.ciphertext, tag: sealed.tag.subarray(0, length) }, Buffer.alloc(0)));
    expect(error).toBeInstanceOf(CryptoParameterError);
    expect((error as CryptoParameterError).parameter).toBe("tag");
    expect((error as Error).message).toMatch(/tag refused: expected 16 bytes \(128 bits\), got \d+ bytes/);
  });

  it.each([0, 8, 16, 24, 64])("refuses a %i-byte nonce with an error naming it", (length) => {
    const error = caught(() => seal(key, Buffer.alloc(length), Buffer.from("x"), Buffer.alloc(0)));
    expect((error as CryptoParameterError).parameter).toBe("nonce");
    expect((error as Error).message).toContain(`got ${length} bytes`);
  });

  it.each([16, 24, 31, 33])("refuses a %i-byte key", (length) => {
    const error = caught(() => seal(Buffer.alloc(length), nonce, Buffer.from("x"), Buffer.alloc(0)));
    expect((error as CryptoParameterError).parameter).toBe("key");
  });
});
