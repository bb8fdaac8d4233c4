/** JSON Pointer helpers for the diff engine (RFC 6901 escaping). */

/** Appends one segment to `pointer`, escaping `~` and `/`. */
export function childPointer(pointer: string, segment: string): string {
  return `${pointer}/${segment.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** The pointer that stands for every item of the array at `pointer`. */
export function itemsPointer(pointer: string): string {
  return `${pointer}/*`;
}
