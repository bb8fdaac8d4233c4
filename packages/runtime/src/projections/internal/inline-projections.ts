/**
 * Inline projections: read models updated in the append's own transaction, so they are
 * consistent with the events the moment the append returns. The store calls this only when a
 * batch holds a type that an inline projection handles; other appends keep the single-statement
 * path. A handler that throws rolls the append back.
 */
import { sql } from "kysely";
import type { CompiledQuery } from "kysely";
import { decodeCheckpoint } from "../../store/checkpoint.js";
import { InvalidArgumentError } from "../../errors.js";
import { wrapDriverError, wrapped } from "../../storage/driver-errors.js";
import type { QueryRunner, Storage } from "../../storage/storage.js";
import type { AppendResult } from "../../store/append-result.js";
import { checkProjectionName } from "../projection.js";
import type { Projection } from "../projection.js";
import { InlineProjectionFailedError, isProjectionError } from "../projection-errors.js";
import { migrateReadModel } from "./read-model-schema.js";

/** The inline projections of one store. */
export interface InlineProjections {
  /** Whether any inline projection handles one of `types`. */
  matches(types: Iterable<string>): boolean;
  /**
   * Runs `append` and then the matching handlers in one transaction. `plaintext` maps the stored
   * results to what handlers see (personal data in clear).
   */
  run(storage: Storage, append: (tx: QueryRunner) => Promise<AppendResult[]>, plaintext: (results: readonly AppendResult[]) => readonly AppendResult[]): Promise<AppendResult[]>;
}

/** Checks the projections and applies their read-model migrations. */
export async function openInlineProjections(storage: Storage, projections: readonly Projection[]): Promise<InlineProjections> {
  const names = new Set<string>();
  for (const projection of projections) {
    checkProjectionName(projection.name, "Inline projection");
    if (names.has(projection.name)) throw new InvalidArgumentError(`Inline projection "${projection.name}" is registered twice; names must be unique.`);
    names.add(projection.name);
    await migrateReadModel({ storage }, projection, projection.schema);
  }
  const handled = new Set(projections.flatMap((projection) => projection.handles));
  return {
    matches: (types) => {
      for (const type of types) if (handled.has(type)) return true;
      return false;
    },
    run: (storage, append, plaintext) =>
      storage.withKysely(async (db) => {
        try {
          return await db.transaction().execute(async (trx) => {
            const runner: QueryRunner = { execute: <R>(query: CompiledQuery) => wrapped(() => trx.executeQuery<R>(query)) };
            const results = await append(runner);
            // A retried append replays events an earlier transaction wrote (and projected): only this transaction's own are new.
            const { rows } = await sql<{ xid: string }>`SELECT pg_current_xact_id()::text AS xid`.execute(trx);
            const xid = rows[0]?.xid;
            const events = plaintext(results).flatMap((result) => result.events).filter((event) => decodeCheckpoint(event.checkpoint).transactionId === xid);
            for (const projection of projections) {
              const mine = events.filter((event) => projection.handles.includes(event.type));
              if (mine.length === 0) continue;
              try {
                await projection.handle(mine, { db: trx.withSchema(projection.schema), schema: projection.schema, rebuilding: false });
              } catch (error) {
                throw new InlineProjectionFailedError({ projection: projection.name, streamId: mine[0]?.streamId ?? "?", eventTypes: mine.map((event) => event.type), cause: error });
              }
            }
            return results;
          });
        } catch (error) {
          throw isProjectionError(error) ? error : wrapDriverError(error);
        }
      }),
  };
}
