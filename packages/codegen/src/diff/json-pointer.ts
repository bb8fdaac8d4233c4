/** JSON Pointer helpers for the diff engine (RFC 6901 escaping, from load/json-pointer). */
import { appendPointer } from "../load/json-pointer.js";

/** Appends one segment to `pointer`, escaping `~` and `/`. */
export function childPointer(pointer: string, segment: string): string {
  return appendPointer(pointer, segment);
}

/** The pointer that stands for every item of the array at `pointer`. */
export function itemsPointer(pointer: string): string {
  return `${pointer}/*`;
}
