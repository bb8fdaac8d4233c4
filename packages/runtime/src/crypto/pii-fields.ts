/**
 * The concrete personal-data fields of one event, from its version's field list compiled once:
 * pointers parsed and the nesting of paths worked out per list, not per event written.
 */
import type { PiiFieldSpec } from "../registry.js";
import { PiiFieldError } from "./crypto-errors.js";
import { child, expandField, formatPointer, parsePointer } from "./pii-paths.js";
import type { ConcreteField } from "./pii-paths.js";

/** A field spec without `*`: one place, one subject place. */
interface FixedSpec {
  readonly segments: readonly string[];
  readonly pointer: string;
  readonly subject: readonly string[];
  readonly subjectPointer: string;
}

/** A field list, compiled, in its order: fixed specs, and specs with `*` (array items) expanded per event. */
interface CompiledFields {
  readonly specs: readonly (FixedSpec | { readonly wildcard: PiiFieldSpec })[];
  /** Whether two fields can nest (one path a prefix of another, or any wildcard): then only the outermost is kept. */
  readonly mayNest: boolean;
}

const compiled = new WeakMap<readonly PiiFieldSpec[], CompiledFields>();

function isPointer(pointer: string): boolean {
  return pointer === "" || pointer.startsWith("/");
}

function compileSpec(spec: PiiFieldSpec): FixedSpec | { readonly wildcard: PiiFieldSpec } {
  // Malformed pointers take expandField's path too, which reports them per event as before.
  if (!isPointer(spec.path) || !isPointer(spec.subject)) return { wildcard: spec };
  const segments = parsePointer(spec.path);
  const subject = parsePointer(spec.subject);
  if (segments.includes("*") || subject.includes("*")) return { wildcard: spec };
  return { segments, pointer: formatPointer(segments), subject, subjectPointer: formatPointer(subject) };
}

function compile(list: readonly PiiFieldSpec[]): CompiledFields {
  const specs = list.map(compileSpec);
  const fixed = specs.filter((spec): spec is FixedSpec => !("wildcard" in spec));
  const nests = (a: FixedSpec, b: FixedSpec): boolean => a !== b && (a.pointer === b.pointer || b.pointer.startsWith(`${a.pointer}/`));
  return { specs, mayNest: fixed.length < specs.length || fixed.some((a) => fixed.some((b) => nests(a, b))) };
}

function resolve(root: unknown, segments: readonly string[]): unknown {
  let value = root;
  for (const segment of segments) value = child(value, segment);
  return value;
}

/** Leaves the outermost field when personal-data paths nest (`/address` and `/address/street`). */
function outermost(fields: readonly ConcreteField[]): ConcreteField[] {
  const chosen: ConcreteField[] = [];
  for (const field of [...fields].sort((a, b) => a.segments.length - b.segments.length)) {
    if (!chosen.some((outer) => field.pointer === outer.pointer || field.pointer.startsWith(`${outer.pointer}/`))) chosen.push(field);
  }
  return chosen;
}

/**
 * The fields of `data` that `specs` mark as personal data, each with its subject's id, the
 * outermost only where paths nest. Absent fields yield nothing.
 *
 * @throws {@link PiiFieldError} naming the event type and field path (never the value) when a
 * present field's subject id is missing or not a non-empty string, or a pointer is malformed.
 */
export function personalFields(data: unknown, specs: readonly PiiFieldSpec[], eventType: string): ConcreteField[] {
  let plan = compiled.get(specs);
  if (plan === undefined) {
    plan = compile(specs);
    compiled.set(specs, plan);
  }
  const fields: ConcreteField[] = [];
  for (const spec of plan.specs) {
    if ("wildcard" in spec) {
      fields.push(...expandField(data, spec.wildcard, eventType));
      continue;
    }
    const value = resolve(data, spec.segments);
    if (value === undefined) continue;
    const subjectId = resolve(data, spec.subject);
    if (typeof subjectId !== "string" || subjectId === "") {
      const found = subjectId === undefined ? "missing" : `a ${subjectId === null ? "null" : typeof subjectId}`;
      throw new PiiFieldError(eventType, spec.pointer, `its data subject id at "${spec.subjectPointer}" is ${found}; it must be a non-empty string.`);
    }
    fields.push({ segments: spec.segments, pointer: spec.pointer, value, subjectId });
  }
  return plan.mayNest ? outermost(fields) : fields;
}
