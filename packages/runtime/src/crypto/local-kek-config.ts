/** Parsing of the local KEK configuration: an environment variable or a JSON file. */
import { readFileSync } from "node:fs";
import { KekConfigError } from "./crypto-errors.js";

/** Parsed KEK configuration and where it came from (for error messages). */
export interface LocalKekConfig {
  readonly keks: ReadonlyMap<string, Uint8Array>;
  readonly current: string;
  readonly source: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeKek(text: unknown, id: string, source: string): Uint8Array {
  if (typeof text !== "string" || !BASE64.test(text.trim())) {
    throw new KekConfigError(source, `KEK "${id}" is not base64 (generate one with \`openssl rand -base64 32\`).`);
  }
  return Buffer.from(text.trim(), "base64");
}

function addKek(keks: Map<string, Uint8Array>, id: string, text: unknown, source: string): void {
  if (keks.has(id)) throw new KekConfigError(source, `KEK "${id}" is listed twice.`);
  keks.set(id, decodeKek(text, id, source));
}

function fromList(list: string, current: string | undefined, source: string): LocalKekConfig {
  const keks = new Map<string, Uint8Array>();
  for (const item of list.split(",").map((part) => part.trim()).filter((part) => part !== "")) {
    const colon = item.indexOf(":");
    if (colon <= 0) throw new KekConfigError(source, `each entry must be "<kek id>:<base64 key>"; entry ${keks.size + 1} is not.`);
    addKek(keks, item.slice(0, colon).trim(), item.slice(colon + 1), source);
  }
  const last = [...keks.keys()].at(-1);
  if (last === undefined) throw new KekConfigError(source, "no KEK is listed.");
  return { keks, current: current ?? last, source };
}

function fromFile(path: string, source: string): LocalKekConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new KekConfigError(source, "the file cannot be read as JSON.", { cause });
  }
  const file = parsed as { current?: unknown; keks?: unknown };
  if (typeof file !== "object" || file === null || typeof file.keks !== "object" || file.keks === null || Array.isArray(file.keks)) {
    throw new KekConfigError(source, 'expected {"current": "<kek id>", "keks": {"<kek id>": "<base64 key>", …}}.');
  }
  if (typeof file.current !== "string") throw new KekConfigError(source, 'the "current" KEK id is missing.');
  const keks = new Map<string, Uint8Array>();
  for (const [id, text] of Object.entries(file.keks)) addKek(keks, id, text, source);
  return { keks, current: file.current, source };
}

/**
 * Reads the KEK configuration from `STRATA_KEKS` (+ optional `STRATA_KEK_CURRENT`) or from the
 * JSON file named by `STRATA_KEKS_FILE`; exactly one of the two must be set.
 */
export function readKekConfig(env: Readonly<Record<string, string | undefined>>): LocalKekConfig {
  const list = env["STRATA_KEKS"];
  const file = env["STRATA_KEKS_FILE"];
  const current = env["STRATA_KEK_CURRENT"]?.trim() || undefined;
  if (list !== undefined && file !== undefined) {
    throw new KekConfigError("the environment", "both STRATA_KEKS and STRATA_KEKS_FILE are set; set exactly one.");
  }
  if (list !== undefined) return fromList(list, current, "STRATA_KEKS");
  if (file !== undefined) {
    const config = fromFile(file, `STRATA_KEKS_FILE (${file})`);
    return current === undefined ? config : { ...config, current };
  }
  throw new KekConfigError("the environment", "no KEK configured: set STRATA_KEKS to \"v1:<base64 of 32 random bytes>\" or STRATA_KEKS_FILE to a JSON file.");
}
