/**
 * The load stage: reads `schemas/`, checks everything, and returns the catalog model, or throws
 * one {@link CatalogError} listing every problem. Reads files only; never writes.
 */
import { basename, resolve } from "node:path";
import { CatalogError } from "../errors.js";
import type { CatalogModel, ContextModel, EventTypeModel, EventVersionModel, JsonSchemaObject } from "../model/catalog-model.js";
import { findLockViolations } from "../lock/check-lock.js";
import { contentHash } from "../lock/content-hash.js";
import { LOCK_FILE_NAME, tryReadLock, type LockFile } from "../lock/lock-file.js";
import { checkIdentities, fileUrl } from "./check-identity.js";
import { checkSchemaFile } from "./check-schema-file.js";
import { closeContentModels } from "./close-content-models.js";
import { checkDuplicateEventTypes, checkVersionSequence } from "./check-versions.js";
import { checkContextConfigs } from "./context-config.js";
import { deepFreeze } from "./deep-freeze.js";
import { mapPii } from "./pii-map.js";
import { ProblemList } from "./problem-list.js";
import { readCatalog, type RawFile } from "./read-catalog.js";
import { RefResolver, type SchemaDocument } from "./resolve-refs.js";
import type { ValidationMemo } from "./validation-memo.js";

/** Options of {@link loadCatalog}. */
export interface LoadCatalogOptions {
  /** Absolute path of the catalog folder (`<repo>/schemas`). Problems name files relative to its parent. */
  readonly root: string;
  /**
   * Documents known to pass the meta-schema, `context.json` and lock-file validations, so that
   * ajv is loaded only when one changed (`ValidationMemoFile.open(repoRoot)` keeps them on disk).
   * New passes are added to it.
   */
  readonly validationMemo?: ValidationMemo | undefined;
}

/** What {@link loadCatalogWithDetails} adds to the model, for the lock tooling. */
export interface LoadedCatalog {
  readonly model: CatalogModel;
  readonly lock: LockFile;
  /** Every schema file (events and shared definitions), catalog-relative → content hash. */
  readonly hashes: ReadonlyMap<string, string>;
  /** Event version file → the shared files its resolved schema was built from. */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
}

/**
 * Loads and validates the schema catalog at `options.root`.
 *
 * @example
 * const catalog = await loadCatalog({ root: "/repo/schemas" });
 * catalog.contexts[0]?.events.map((e) => e.name); // ["AccountClosed", ...]
 * @throws {@link CatalogError} (code `STRATA_CATALOG_INVALID`) listing every problem found.
 */
export async function loadCatalog(options: LoadCatalogOptions): Promise<CatalogModel> {
  return (await loadCatalogWithDetails(options)).model;
}

/** {@link loadCatalog} plus the lock file, file hashes and shared-file dependencies. @internal */
export async function loadCatalogWithDetails(options: LoadCatalogOptions): Promise<LoadedCatalog> {
  const root = resolve(options.root);
  const problems = new ProblemList(basename(root));
  const contexts = await readCatalog(root, problems);
  if (contexts === undefined) throw new CatalogError(problems.sorted());

  const configs = checkContextConfigs(contexts, problems, options.validationMemo);
  const files: { raw: RawFile; eventType: string | undefined }[] = [
    ...contexts.flatMap((c) => c.shared.map((raw) => ({ raw, eventType: undefined }))),
    ...contexts.flatMap((c) => c.events.flatMap((e) => [...e.versions.values()].map((raw) => ({ raw, eventType: e.name })))),
  ];
  const parsed = files.filter((f) => f.raw.parsed);
  for (const { raw, eventType } of parsed) checkSchemaFile(raw.rel, raw.value, eventType !== undefined, problems, options.validationMemo);
  const base = checkIdentities(parsed.map((f) => ({ rel: f.raw.rel, value: f.raw.value, eventType: f.eventType })), problems);
  for (const event of contexts.flatMap((c) => c.events)) checkVersionSequence(event, problems);
  checkDuplicateEventTypes(contexts, problems);

  const documents = new Map<string, SchemaDocument>(
    files.map(({ raw }) => [raw.rel, { rel: raw.rel, value: raw.value, parsed: raw.parsed, url: fileUrl(base, raw.rel) }]),
  );
  const resolver = new RefResolver(documents, base, problems);
  for (const { raw } of parsed.filter((f) => f.eventType === undefined)) resolver.resolveFile(raw.rel);

  const hashes = new Map<string, string>(parsed.map(({ raw }) => [raw.rel, contentHash(raw.value)]));
  const lock = await checkLock(root, files, hashes, problems, options.validationMemo);
  const released = new Set(Object.keys(lock.released));
  const dependencies = new Map<string, readonly string[]>();

  const contextModels: ContextModel[] = contexts.map((context) => ({
    name: context.name,
    config: configs.get(context.name) ?? { package: "", directory: "", compatibility: "NONE" },
    events: context.events.map((event): EventTypeModel => ({
      context: context.name,
      name: event.name,
      versions: [...event.versions].sort(([a], [b]) => a - b).map(([version, raw]): EventVersionModel => {
        const resolution = resolver.resolveFile(raw.rel);
        dependencies.set(raw.rel, [...resolution.files].filter((f) => f !== raw.rel).sort());
        // Event objects are closed unless their schema opens them (close-content-models.ts).
        const resolved = closeContentModels(resolution.value, (from, to) => {
          const origin = resolver.origins.get(from);
          if (origin !== undefined) resolver.origins.set(to, origin);
        });
        const pii = resolution.clean && raw.parsed ? mapPii(raw.rel, resolved, resolver.origins, problems) : [];
        return {
          version,
          file: raw.rel,
          schema: raw.value as JsonSchemaObject,
          resolved: resolved as JsonSchemaObject,
          hash: hashes.get(raw.rel) ?? "",
          released: released.has(raw.rel),
          pii,
        };
      }),
    })),
  }));

  if (problems.size > 0) throw new CatalogError(problems.sorted());
  const model: CatalogModel = deepFreeze({ root, contexts: contextModels });
  return { model, lock, hashes, dependencies };
}

async function checkLock(root: string, files: readonly { raw: RawFile }[], hashes: ReadonlyMap<string, string>, problems: ProblemList, memo: ValidationMemo | undefined): Promise<LockFile> {
  const read = await tryReadLock(root, memo);
  if (read.status === "invalid") {
    for (const { pointer, message } of read.problems) problems.add("invalid-lock-file", LOCK_FILE_NAME, pointer, `${message}; fix or restore ${LOCK_FILE_NAME} from version control`);
    return { lockVersion: 1, released: {} };
  }
  if (read.status === "missing") return { lockVersion: 1, released: {} };
  const current = new Map<string, string | undefined>(files.map(({ raw }) => [raw.rel, hashes.get(raw.rel)]));
  for (const violation of findLockViolations(read.lock, current)) problems.add(violation.code, violation.file, "", violation.message);
  return read.lock;
}
