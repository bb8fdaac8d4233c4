/**
 * Writes an envelope's associated data (see `envelopeAad`) straight into a buffer, from pieces
 * kept between events: the part before the event id depends only on format and key id, the part
 * after it only on event type, schema version and paths, and a read meets the same few of each
 * on every page. `JSON.stringify` of the whole array per envelope cost about as much as the
 * decryption itself.
 */
import { envelopeAadText } from "./envelope.js";
import type { EnvelopeBinding } from "./envelope.js";

/** Whether `JSON.stringify(text)` is `"` + text + `"`: no quote, backslash, control character or surrogate in it. */
function plainJsonString(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
}

interface Tail {
  readonly schemaVersion: number;
  readonly paths: readonly string[];
  /** `","<type>",<sv>,["<path>",…]]`, or undefined when a string in it needs escaping. */
  readonly text: string | undefined;
}

/** Most pieces kept of each kind; beyond, the cache starts over (a read meets a handful). */
const MAX_PIECES = 4096;
/** `["strata:pii",<v>,"<keyId>","` by key id (format 3; others prefixed), or `null` when the key id needs escaping. */
const heads = new Map<string, string | null>();
const tails = new Map<string, Tail[]>();

function headOf(version: number, keyId: string): string | null {
  const key = version === 3 ? keyId : `${version} ${keyId}`;
  let head = heads.get(key);
  if (head === undefined) {
    if (heads.size >= MAX_PIECES) heads.clear();
    head = plainJsonString(keyId) ? `["strata:pii",${version},"${keyId}","` : null;
    heads.set(key, head);
  }
  return head;
}

function samePaths(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function tailOf(eventType: string, schemaVersion: number, paths: readonly string[]): string | undefined {
  let list = tails.get(eventType);
  if (list === undefined) {
    if (tails.size >= MAX_PIECES) tails.clear();
    list = [];
    tails.set(eventType, list);
  }
  for (const tail of list) if (tail.schemaVersion === schemaVersion && samePaths(tail.paths, paths)) return tail.text;
  const plain = Number.isSafeInteger(schemaVersion) && paths.length > 0 && plainJsonString(eventType) && paths.every(plainJsonString);
  const text = plain ? `","${eventType}",${schemaVersion},["${paths.join('","')}"]]` : undefined;
  if (list.length < 64) list.push({ schemaVersion, paths: [...paths], text });
  return text;
}

/** Bytes {@link writeEnvelopeAad} may write for `binding`: JSON escapes a UTF-16 unit into at most 6 bytes. */
export function envelopeAadRoom(binding: EnvelopeBinding): number {
  let units = binding.keyId.length + binding.eventId.length + binding.eventType.length;
  for (const path of binding.paths) units += path.length + 3;
  return 64 + 6 * units;
}

/**
 * Writes the associated data of `binding` (the bytes `envelopeAad` returns) into `target` at
 * `offset`, which has {@link envelopeAadRoom} bytes free, and returns its length.
 */
export function writeEnvelopeAad(binding: EnvelopeBinding, target: Buffer, offset: number): number {
  const head = headOf(binding.version, binding.keyId);
  const tail = head === null ? undefined : tailOf(binding.eventType, binding.schemaVersion, binding.paths);
  if (head === null || tail === undefined || !plainJsonString(binding.eventId)) return target.write(envelopeAadText(binding), offset, "utf8");
  let at = offset + target.write(head, offset, "utf8");
  at += target.write(binding.eventId, at, "utf8");
  at += target.write(tail, at, "utf8");
  return at - offset;
}

/**
 * The associated data of one key id's envelopes, with a hole for the event id: the bytes around
 * the event id depend only on format, key id, event type, schema version and paths, so a read
 * writes the event id into it and hands the whole buffer to the AEAD (one write per envelope
 * instead of three). Not secret: associated data is stored in the clear.
 */
interface AadTemplate {
  readonly version: number;
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly paths: readonly string[];
  readonly idLength: number;
  readonly buffer: Buffer;
  readonly holeAt: number;
  readonly view: Uint8Array;
}

/** The latest template per key id (a subject's events share type and paths far more often than not). */
const templates = new Map<string, AadTemplate>();

function sameListPaths(paths: readonly string[], list: readonly unknown[], at: number, count: number): boolean {
  if (paths.length !== count) return false;
  for (let i = 0; i < count; i++) if (paths[i] !== list[at + i]) return false;
  return true;
}

function buildTemplate(binding: EnvelopeBinding): AadTemplate {
  const head = `["strata:pii",${binding.version},${JSON.stringify(binding.keyId)},"`;
  const tail = `",${JSON.stringify(binding.eventType)},${JSON.stringify(binding.schemaVersion)},${JSON.stringify(binding.paths)}]`;
  const holeAt = Buffer.byteLength(head, "utf8");
  const idLength = binding.eventId.length;
  const buffer = Buffer.alloc(holeAt + idLength + Buffer.byteLength(tail, "utf8"));
  buffer.write(head, 0, "utf8");
  buffer.write(tail, holeAt + idLength, "utf8");
  return {
    version: binding.version,
    eventType: binding.eventType,
    schemaVersion: binding.schemaVersion,
    paths: [...binding.paths],
    idLength,
    buffer,
    holeAt,
    view: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength),
  };
}

/**
 * The associated data (the bytes `envelopeAad` returns) of the envelope whose `count` paths are
 * `list[pathsAt…]`, for an event id that is plain ASCII; `undefined` otherwise (the caller then
 * writes it with {@link writeEnvelopeAad}). The returned view is valid until the next call.
 */
export function templatedAad(
  version: number,
  keyId: string,
  eventId: string,
  eventType: string,
  schemaVersion: number,
  list: readonly unknown[],
  pathsAt: number,
  count: number,
): Uint8Array | undefined {
  let template = templates.get(keyId);
  if (
    template === undefined ||
    template.idLength !== eventId.length ||
    template.eventType !== eventType ||
    template.schemaVersion !== schemaVersion ||
    template.version !== version ||
    !sameListPaths(template.paths, list, pathsAt, count)
  ) {
    if (templates.size >= MAX_PIECES) templates.clear();
    const paths = list.slice(pathsAt, pathsAt + count) as string[];
    template = buildTemplate({ version: version as EnvelopeBinding["version"], keyId, eventId, eventType, schemaVersion, paths });
    templates.set(keyId, template);
  }
  // The event id's characters, written by hand as they are checked: cheaper than a check and a
  // `Buffer#write` (whose argument handling costs more than 36 bytes of copying). A character
  // JSON would escape, or beyond ASCII, leaves the hole half written and the caller to its own
  // path; the next use overwrites the whole hole.
  const { view, holeAt } = template;
  for (let i = 0; i < eventId.length; i++) {
    const code = eventId.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return undefined;
    view[holeAt + i] = code;
  }
  return view;
}
