/**
 * The registry contract between a generated events package and the runtime.
 *
 * `strata codegen` emits one registry object per context (for example `bankingRegistry` in
 * `@strata/banking-events`); the runtime reads only what is declared here and never imports a
 * generated package or the code generator itself.
 *
 * @module
 */

/** One problem found by a validator, with the path of the offending value inside the event data. */
export interface ValidationIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
}

/**
 * What the runtime needs from a validator. Zod schemas satisfy it structurally, so generated
 * packages hand their zod validators over as they are and the runtime does not depend on zod.
 */
export interface SchemaValidator<T = unknown> {
  safeParse(
    input: unknown,
  ): { readonly success: true; readonly data: T } | { readonly success: false; readonly error: { readonly issues: readonly ValidationIssue[] } };
}

/**
 * A personal-data field of one event version.
 *
 * Paths are JSON Pointers into the event data. The segment `*` stands for every item of an
 * array: `/parties/*\/email`. The subject pointer names the field that holds the data subject's
 * id; a `*` in it binds to the same array index as the `*` at the same depth of `path`.
 */
export interface PiiFieldSpec {
  readonly path: string;
  readonly subject: string;
}

/** What the registry knows about one schema version of an event type. */
export interface EventVersionSpec {
  readonly version: number;
  /** Validates the data as written (append). */
  readonly validator: SchemaValidator;
  /**
   * Validates the data as read: like `validator`, but every `pii` field may also be the erased
   * marker (`{"$erased": true}`). Absent means `validator` (registries written by hand, versions
   * without personal data).
   */
  readonly readValidator?: SchemaValidator;
  readonly pii: readonly PiiFieldSpec[];
}

/** Facts about a stored event that an upcaster may read, for example to fill a new field from the recorded time. */
export interface UpcastContext {
  readonly eventId: string;
  readonly streamId: string;
  readonly recordedAt: Date;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** One upcasting step from `from` to `from + 1`. Pure: same input, same output, no I/O. */
export interface UpcasterStep {
  readonly type: string;
  readonly from: number;
  readonly to: number;
  readonly upcast: (data: unknown, context: UpcastContext) => unknown;
}

/** Everything the runtime knows about one event type. */
export interface EventTypeSpec<TType extends string = string> {
  readonly type: TType;
  readonly latestVersion: number;
  /** Every version from 1 to `latestVersion`, keyed by version number. */
  readonly versions: Readonly<Record<number, EventVersionSpec>>;
  /** Steps `1→2`, `2→3`, …; empty when only one version exists. */
  readonly upcasters: readonly UpcasterStep[];
}

/**
 * An event as handlers see it: its type, the latest schema version's data.
 * Generated event classes satisfy this shape.
 */
export interface EventShape<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/**
 * The registry a generated events package exports. `TEvent` is the union of the context's
 * latest event shapes as written (appended); `TReadEvent` the same events as handlers read them,
 * where personal-data fields may be `Erased` (it defaults to `TEvent` for registries without
 * personal data). Both exist only for typing.
 */
export interface EventRegistry<TEvent extends EventShape = EventShape, TReadEvent extends EventShape = TEvent> {
  readonly context: string;
  readonly events: Readonly<Record<string, EventTypeSpec>>;
  /** Type-only marker carrying the event union as written; never set at run time. */
  readonly __event?: TEvent;
  /** Type-only marker carrying the event union as read; never set at run time. */
  readonly __readEvent?: TReadEvent;
}

/** The union of latest event shapes, as written, that a registry describes. */
export type RegistryEvent<R> = R extends EventRegistry<infer E, EventShape> ? E : never;

/** The union of latest event shapes as read (personal-data fields `T | Erased`) that a registry describes. */
export type RegistryReadEvent<R> = R extends EventRegistry<EventShape, infer E> ? E : never;

/**
 * Declares a registry. Generated packages call this; applications rarely need to.
 *
 * @example
 * ```ts
 * export const registry = defineRegistry<BankingEvent, BankingReadEvent>({ context: "banking", events: { ... } });
 * ```
 */
export function defineRegistry<TEvent extends EventShape, TReadEvent extends EventShape = TEvent>(registry: {
  readonly context: string;
  readonly events: Readonly<Record<string, EventTypeSpec>>;
}): EventRegistry<TEvent, TReadEvent> {
  return Object.freeze({ context: registry.context, events: Object.freeze({ ...registry.events }) });
}
