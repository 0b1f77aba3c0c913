/**
 * What the gate and the runs it asks for report while they work. The library emits these events;
 * the caller picks one reporter per invocation (terminal, plain lines, nothing under --json) and
 * renders every one of them (size-limit's createReporter is the model).
 */
import type { RunEvent } from '../scenario/harness.js'

/** Progress of a check, a run or a baseline update. */
export type CheckEvent =
  | RunEvent
  /** A set of scenarios is about to run. `variant` null: each scenario's own default. */
  | { type: 'suite-start'; scenarios: readonly string[]; repeat: number; variant: string | null; defaultSuite: boolean }
  /** One more measuring repeat, because a relative rule is inconclusive or its pass is being confirmed. */
  | { type: 'extra-repeat'; scenario: string }
  /** The scenario runs again in snapshot mode to say what grew. */
  | { type: 'explain-rerun'; scenario: string }
  /** Something the user should know that changes no verdict. */
  | { type: 'warning'; message: string }

/** Receives progress events. */
export type OnCheckEvent = (event: CheckEvent) => void
