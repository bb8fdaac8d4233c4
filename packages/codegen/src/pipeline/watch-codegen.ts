/**
 * `strata codegen --watch`: runs codegen, then again after every change under the catalog
 * folder (debounced), until the signal aborts. A failed run is reported and the watcher keeps
 * going, so fixing the schema is enough to recover.
 */
import { watch } from "node:fs";
import path from "node:path";

import type { CodegenOptions } from "./codegen-options.js";
import type { CodegenResult } from "./codegen-result.js";

/** The outcome of one run while watching. */
export type WatchRun = { readonly ok: true; readonly result: CodegenResult } | { readonly ok: false; readonly error: unknown };

/** Options of `watchCodegen`: those of a codegen run (never `check`), plus the watch controls. */
export interface WatchOptions extends Omit<CodegenOptions, "check"> {
  /** Stops watching; the returned promise then resolves. */
  readonly signal: AbortSignal;
  /** Called after every run, the first one included. */
  readonly onRun: (run: WatchRun) => void;
  /** Quiet period after the last change before a run starts. Default 150 ms. */
  readonly debounceMs?: number;
}

/**
 * Watches with the given codegen function (`runCodegen`, or a variant with other stages).
 * Runs never overlap: changes during a run schedule exactly one more.
 */
export async function watchCodegenWith(run: (options: CodegenOptions) => Promise<CodegenResult>, options: WatchOptions): Promise<void> {
  const { signal, onRun, debounceMs = 150, ...codegenOptions } = options;
  const schemasDir = path.resolve(options.repoRoot, options.schemasDir ?? "schemas");
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let pending = false;

  const runOnce = async (): Promise<void> => {
    try {
      onRun({ ok: true, result: await run(codegenOptions) });
    } catch (error) {
      onRun({ ok: false, error });
    }
  };
  const trigger = (): void => {
    if (signal.aborted) return;
    if (running !== undefined) {
      pending = true;
      return;
    }
    running = runOnce().finally(() => {
      running = undefined;
      if (pending) {
        pending = false;
        trigger();
      }
    });
  };

  if (signal.aborted) return;
  await runOnce();
  const watcher = watch(schemasDir, { recursive: true, signal }, () => {
    clearTimeout(timer);
    timer = setTimeout(trigger, debounceMs);
  });
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      clearTimeout(timer);
      watcher.close();
      void (running ?? Promise.resolve()).then(() => resolve());
    };
    watcher.on("error", (error) => onRun({ ok: false, error }));
    if (signal.aborted) stop();
    else signal.addEventListener("abort", stop, { once: true });
  });
}
