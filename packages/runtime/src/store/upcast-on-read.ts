import { UnknownEventTypeError, UnknownSchemaVersionError, UpcastError } from "../errors.js";
import type { EventRegistry, UpcastContext, UpcasterStep } from "../registry.js";
import { systemEventSpec } from "../erasure/system-events.js";

/** A stored event before upcasting. */
export interface StoredEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly recordedAt: Date;
}

/** Turns stored data into the latest schema version of its type; returns that version and data. */
export type UpcastOnRead = ((event: StoredEvent) => { readonly schemaVersion: number; readonly data: unknown }) & {
  /**
   * The latest schema version of `type`, or undefined when the registry does not know it. A
   * reader that finds an event already at that version may skip the call (and building its
   * {@link StoredEvent}): the call would hand the data back untouched.
   */
  readonly latestVersion?: (type: string) => number | undefined;
};

/**
 * Builds the read-side upcaster for a registry. Chains are resolved once per (type, stored
 * version) and cached; events already at the latest version pass through untouched.
 */
export function createUpcastOnRead(registry: EventRegistry): UpcastOnRead {
  const chains = new Map<string, readonly UpcasterStep[]>();

  const chainFor = (event: StoredEvent, latest: number, steps: readonly UpcasterStep[]): readonly UpcasterStep[] => {
    const key = `${event.type}\u0000${event.schemaVersion}`;
    const cached = chains.get(key);
    if (cached !== undefined) return cached;
    const chain: UpcasterStep[] = [];
    for (let from = event.schemaVersion; from < latest; from += 1) {
      const step = steps.find((candidate) => candidate.from === from && candidate.to === from + 1);
      if (step === undefined) {
        throw new UnknownSchemaVersionError({
          type: event.type,
          schemaVersion: event.schemaVersion,
          eventId: event.eventId,
          reason: `the registry has no upcaster from v${from} to v${from + 1}`,
        });
      }
      chain.push(step);
    }
    chains.set(key, chain);
    return chain;
  };

  const upcast = (event: StoredEvent): { readonly schemaVersion: number; readonly data: unknown } => {
    const spec = registry.events[event.type] ?? systemEventSpec(event.type);
    if (spec === undefined) {
      throw new UnknownEventTypeError({ type: event.type, context: registry.context, where: `stored event ${event.eventId} in stream "${event.streamId}"` });
    }
    const latest = spec.latestVersion;
    if (event.schemaVersion === latest) return { schemaVersion: latest, data: event.data };
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1 || event.schemaVersion > latest) {
      throw new UnknownSchemaVersionError({
        type: event.type,
        schemaVersion: event.schemaVersion,
        eventId: event.eventId,
        reason: `the registry knows versions 1 to ${latest}`,
      });
    }
    const context: UpcastContext = { eventId: event.eventId, streamId: event.streamId, recordedAt: event.recordedAt, metadata: event.metadata };
    let data = event.data;
    for (const step of chainFor(event, latest, spec.upcasters)) {
      try {
        data = step.upcast(data, context);
      } catch (error) {
        throw new UpcastError({ eventId: event.eventId, type: event.type, fromVersion: step.from, cause: error });
      }
    }
    return { schemaVersion: latest, data };
  };
  const latestVersion = (type: string): number | undefined => (registry.events[type] ?? systemEventSpec(type))?.latestVersion;
  return Object.assign(upcast, { latestVersion });
}
