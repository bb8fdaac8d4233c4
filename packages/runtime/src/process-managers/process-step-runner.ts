/**
 * Answers one input of one process: decide once, record the step, then apply it. The order is
 * what makes a crash harmless at any point:
 *
 * 1. the step (state, commands with their ids, deadlines) is appended to the process's stream,
 *    under an id derived from the input, with the stream's version expected;
 * 2. deadlines are written to `process_deadlines`, commands are dispatched one by one;
 * 3. a refused command becomes an input of its own (`rejected:<command id>`), answered the same way.
 *
 * A crash before 1 decides again later (nothing happened). A crash after 1 finds the step
 * recorded and applies it again: deadlines are inserted only if still live, commands go out under
 * the same ids, and a command whose refusal is already recorded is not sent again (sending it now
 * could succeed where it failed, and the process already compensated).
 *
 * Each input is answered in a `strata.process_manager <name>` span linked to its cause's trace
 * context (the event, the step that scheduled the deadline, or the step whose command was
 * refused), and under that cause's correlation and causation ids (`withCausation`): the step
 * records them, and the commands it sends carry the step's on to their events.
 *
 * @module
 */
import { v5 as uuidv5 } from "uuid";
import { InvalidArgumentError, isStrataError } from "../errors.js";
import type { EventStore } from "../store/event-store.js";
import type { EventMetadata, RecordedEvent } from "../store/recorded-event.js";
import { withCausation } from "../telemetry/causation.js";
import { inSpan } from "../telemetry/strata-tracer.js";
import { linksFromMetadata } from "../telemetry/trace-context.js";
import type { DeadlineStore } from "./deadline-store.js";
import { deadlineInputKey, foldHistory } from "./process-history.js";
import type { ProcessHistory, RecordedStep } from "./process-history.js";
import type { ProcessDecision, ProcessInput, ProcessManager } from "./process-manager.js";
import { PROCESS_STEP_EVENT_TYPE } from "./process-step-event.js";
import type { ProcessStepData, ProcessStepInput } from "./process-step-event.js";

/** Namespace of the ids of process steps and their commands (fixed forever: changing it changes every id). */
const NAMESPACE = "0b7c5f0e-61c4-4d0a-9a53-6f1b0de2c7a4";

/** What a dispatched command came to. A command handler's result fits (`"applied"` or `"rejected"`). */
export type DispatchOutcome = { readonly status: "accepted" | "applied" } | { readonly status: "rejected"; readonly error: unknown };

/** Context of one dispatch. */
export interface DispatchContext {
  /** Deterministic: the same step's same command always has this id. Use it as the command's event id. */
  readonly commandId: string;
  /** The key the decision gave the command. */
  readonly key: string;
  readonly processId: string;
  readonly manager: string;
}

/** Sends a process's command. Must be idempotent per `commandId`; throwing retries the input later. */
export type ProcessDispatch<C> = (command: C, context: DispatchContext) => Promise<DispatchOutcome>;

/** An input on its way to a process, with its stable key. */
export interface PendingInput<Ev, C> {
  readonly step: ProcessStepInput;
  readonly input: ProcessInput<Ev, C>;
  /**
   * What caused it, for correlation, causation and the span link: the event (an event input) or
   * the step that sent the refused command (a refusal). A deadline's cause, the step that
   * scheduled it, is found in the process's history.
   */
  readonly cause?: Cause | undefined;
}

/** An input's cause: an event or a recorded step, with the metadata its ids and trace context are in. */
export interface Cause {
  readonly id: string;
  readonly metadata: EventMetadata;
}

/** What the runner of one manager shares between its inputs. */
export interface StepRunnerContext<S, C, Ev extends { readonly type: string }> {
  readonly manager: ProcessManager<S, C, Ev>;
  // The store's own event union does not include the system step type; appends are cast.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly store: EventStore<any, any>;
  readonly deadlines: DeadlineStore;
  readonly dispatch: ProcessDispatch<C>;
  readonly now: () => Date;
}

const CONFLICT_ATTEMPTS = 10;

/** The id of the step answering `inputKey`. */
export function stepId(manager: string, processId: string, inputKey: string): string {
  return uuidv5(`${manager}\u0000${processId}\u0000${inputKey}`, NAMESPACE);
}

/** The id of command `key` of step `id`. */
export function commandId(step: string, key: string): string {
  return uuidv5(`${step}\u0000command\u0000${key}`, NAMESPACE);
}

/** Reads and folds a process's stream. */
export async function loadHistory<S, C, Ev extends { readonly type: string }>(ctx: StepRunnerContext<S, C, Ev>, processId: string): Promise<ProcessHistory<S>> {
  const steps: RecordedStep[] = [];
  let version = 0;
  for await (const event of ctx.store.readStream(ctx.manager.streamOf(processId)) as AsyncIterable<RecordedEvent>) {
    version = event.version;
    if (event.type === PROCESS_STEP_EVENT_TYPE) steps.push({ id: event.id, metadata: event.metadata, data: event.data as ProcessStepData });
  }
  return foldHistory(ctx.manager.initialState, steps, version);
}

function toStep<S, C>(manager: string, processId: string, input: ProcessStepInput, id: string, decision: ProcessDecision<S, C>, state: S, now: Date): ProcessStepData {
  const commands = (decision.commands ?? []).map((command) => ({ key: command.key, id: commandId(id, command.key), command: command.command }));
  const keys = new Set(commands.map((command) => command.key));
  if (keys.size !== commands.length) throw new InvalidArgumentError(`Process manager "${manager}" decided two commands under one key for input ${input.name}; keys must be unique within a step.`);
  const schedule = (decision.schedule ?? []).map((deadline) => {
    const due = deadline.at ?? (deadline.afterMs === undefined ? undefined : new Date(now.getTime() + deadline.afterMs));
    if (due === undefined || Number.isNaN(due.getTime())) throw new InvalidArgumentError(`Process manager "${manager}" scheduled deadline "${deadline.key}" without a valid "afterMs" or "at".`);
    return { key: deadline.key, dueAt: due.toISOString(), data: deadline.data ?? null };
  });
  return { manager, processId, input, state: decision.state ?? state, commands, schedule, cancel: [...(decision.cancel ?? [])], done: decision.done ?? false };
}

/** Answers one input of `processId` (see the module comment). Serialise calls per process. */
export async function answerInput<S, C, Ev extends { readonly type: string }>(ctx: StepRunnerContext<S, C, Ev>, processId: string, pending: PendingInput<Ev, C>): Promise<void> {
  const { manager } = ctx;
  const attributes = { "strata.process_manager": manager.name, "strata.process.id": processId, "strata.process.input": pending.step.kind };
  // The span continues the cause's trace as a link (the cause may be hours old, in another trace).
  const links = pending.cause === undefined ? [] : linksFromMetadata([pending.cause]);
  await inSpan(`strata.process_manager ${manager.name}`, { attributes, links }, async (span) => {
    let cause = pending.cause;
    for (let attempt = 1; ; attempt += 1) {
      let history = await loadHistory(ctx, processId);
      if (cause === undefined && pending.step.kind === "deadline") {
        cause = schedulingStep(history, pending.step);
        if (cause !== undefined) span.addLinks(linksFromMetadata([cause]));
      }
      let step = history.steps.get(pending.step.key);
      if (step === undefined) {
        if (history.done) return;
        // A deadline cancelled or scheduled again since it was claimed answers nothing.
        if (pending.step.kind === "deadline" && history.live.get(pending.step.name) !== pending.step.key) return;
        const id = stepId(manager.name, processId, pending.step.key);
        const data = toStep(manager.name, processId, pending.step, id, manager.decide(pending.input, history.state, processId), history.state, ctx.now());
        const append = () => ctx.store.append(manager.streamOf(processId), [{ id, type: PROCESS_STEP_EVENT_TYPE, data } as never], { expectedVersion: history.version === 0 ? "no_stream" : history.version });
        try {
          const appended = await (cause === undefined ? append() : withCausation(cause, append));
          const recorded = appended.events[0] as RecordedEvent | undefined;
          step = { id, metadata: recorded?.metadata ?? {}, data };
        } catch (error) {
          if (isStrataError(error, "STREAM_CONFLICT") && attempt < CONFLICT_ATTEMPTS) continue;
          throw error;
        }
        history = await loadHistory(ctx, processId);
      }
      await applyStep(ctx, processId, step, history);
      return;
    }
  });
}

/** The step whose schedule a deadline input fires (its id is the last part of the input key), if still in the history. */
function schedulingStep<S>(history: ProcessHistory<S>, input: ProcessStepInput): RecordedStep | undefined {
  for (const step of history.steps.values()) if (input.key === deadlineInputKey(input.name, step.id)) return step;
  return undefined;
}

async function applyStep<S, C, Ev extends { readonly type: string }>(ctx: StepRunnerContext<S, C, Ev>, processId: string, step: RecordedStep, history: ProcessHistory<S>): Promise<void> {
  const { data } = step;
  if (history.done) await ctx.deadlines.cancel(processId, "all");
  else {
    // Only what is still live: a step applied again must not revive a deadline cancelled since.
    const touched = [...new Set([...data.cancel, ...data.schedule.map((deadline) => deadline.key)])];
    const stale = touched.filter((key) => history.live.get(key) === undefined);
    await ctx.deadlines.cancel(processId, stale);
    const live = data.schedule.filter((deadline) => history.live.get(deadline.key) === deadlineInputKey(deadline.key, step.id));
    await ctx.deadlines.schedule(processId, live.map((deadline) => ({ inputKey: deadlineInputKey(deadline.key, step.id), deadlineKey: deadline.key, dueAt: new Date(deadline.dueAt), data: deadline.data })));
  }
  const cause = { id: step.id, metadata: step.metadata };
  for (const command of data.commands) {
    const refusal = { kind: "rejected", key: `rejected:${command.id}`, name: command.key } as const;
    if (history.steps.has(refusal.key)) {
      // Refused before: not sent again, but its answer is applied again (it may not have been, before a crash).
      await answerInput(ctx, processId, { step: refusal, input: { kind: "rejected", commandKey: command.key, command: command.command as C, error: undefined }, cause });
      continue;
    }
    const outcome = await withCausation(cause, () => ctx.dispatch(command.command as C, { commandId: command.id, key: command.key, processId, manager: ctx.manager.name }));
    if (outcome.status !== "rejected") continue;
    const input: ProcessInput<Ev, C> = { kind: "rejected", commandKey: command.key, command: command.command as C, error: outcome.error };
    await answerInput(ctx, processId, { step: refusal, input, cause });
  }
}
