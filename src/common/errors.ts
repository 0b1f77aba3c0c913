/**
 * One small error hierarchy. Every error memgate means to raise is a {@link MemgateError} with a
 * stable `code`; the CLI maps codes to exit codes. Anything else that escapes is a bug (exit 4).
 */

/** Stable error codes. Tests and CI scripts may match on them. */
export type ErrorCode =
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_IS_DIRECTORY'
  | 'INPUT_EMPTY'
  | 'INPUT_UNSUPPORTED_FORMAT'
  | 'INPUT_CORRUPT'
  | 'INPUT_TOO_LARGE'
  | 'INPUT_TOO_SMALL'
  | 'INPUT_BAD_ASPECT'
  | 'INPUT_INVALID'
  | 'MODEL_MISSING'
  | 'MODEL_CORRUPT'
  | 'ENGINE_CLOSED'
  | 'NATIVE_LOAD_FAILED'
  | 'SNAPSHOT_INVALID'
  | 'SNAPSHOT_NOT_FOUND'
  | 'PROBE_UNAVAILABLE'
  | 'RUN_INVALID'
  | 'BASELINE_INVALID'
  | 'BUDGET_EXCEEDED'
  | 'TARGET_CRASHED'
  | 'TARGET_TIMED_OUT'
  | 'RUN_INCOMPLETE'
  | 'INTERRUPTED'
  | 'INTERNAL'
  | 'SNAPSHOT_WRITE_FAILED'

/** Exit codes are a contract with CI (DESIGN.md, Conventions). */
export const ExitCode = {
  Ok: 0,
  BudgetExceeded: 1,
  UsageError: 2,
  TargetFailed: 3,
  InternalError: 4,
  /** SIGINT or SIGTERM stopped the command; what was measured is written and marked interrupted. */
  Interrupted: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** Base class of every error memgate raises on purpose. Always chain the original as `cause`. */
export class MemgateError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'MemgateError'
  }
}

/** A flag, argument or command the user typed is wrong. */
export class UsageError extends MemgateError {
  constructor(message: string, options?: ErrorOptions) {
    super('USAGE', message, options)
    this.name = 'UsageError'
  }
}

/** A configuration file or option object does not validate. */
export class ConfigError extends MemgateError {
  constructor(message: string, options?: ErrorOptions) {
    super('CONFIG_INVALID', message, options)
    this.name = 'ConfigError'
  }
}

/** Codes an {@link InputError} may carry. */
export type InputErrorCode = Extract<ErrorCode, `INPUT_${string}` | 'SNAPSHOT_INVALID' | 'SNAPSHOT_NOT_FOUND' | 'RUN_INVALID' | 'BASELINE_INVALID'>

/** An input file (image, snapshot, run directory, baseline) is missing or unusable. */
export class InputError extends MemgateError {
  constructor(
    code: InputErrorCode,
    message: string,
    /** The file or source the error is about, when there is one. */
    readonly source?: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options)
    this.name = 'InputError'
  }
}

/** A model file is missing or does not match its manifest, or native code failed to load. */
export class ModelError extends MemgateError {
  constructor(code: Extract<ErrorCode, 'MODEL_MISSING' | 'MODEL_CORRUPT' | 'NATIVE_LOAD_FAILED' | 'ENGINE_CLOSED'>, message: string, options?: ErrorOptions) {
    super(code, message, options)
    this.name = 'ModelError'
  }
}

/** A budget or regression check failed. */
export class BudgetExceeded extends MemgateError {
  constructor(message: string, options?: ErrorOptions) {
    super('BUDGET_EXCEEDED', message, options)
    this.name = 'BudgetExceeded'
  }
}

/** The measured target crashed, was killed, ran out of memory or hung. */
export class TargetCrashed extends MemgateError {
  constructor(code: Extract<ErrorCode, 'TARGET_CRASHED' | 'TARGET_TIMED_OUT' | 'RUN_INCOMPLETE'>, message: string, options?: ErrorOptions) {
    super(code, message, options)
    this.name = 'TargetCrashed'
  }
}

/** SIGINT or SIGTERM ended a run early; run.json was written, marked interrupted. */
export class Interrupted extends MemgateError {
  constructor(message: string, options?: ErrorOptions) {
    super('INTERRUPTED', message, options)
    this.name = 'Interrupted'
  }
}

/** Maps any thrown value to the CLI's exit code. Unknown errors are bugs. */
export function exitCodeFor(error: unknown): ExitCode {
  if (!(error instanceof MemgateError)) return ExitCode.InternalError
  switch (error.code) {
    case 'BUDGET_EXCEEDED':
      return ExitCode.BudgetExceeded
    case 'TARGET_CRASHED':
    case 'TARGET_TIMED_OUT':
    case 'RUN_INCOMPLETE':
      return ExitCode.TargetFailed
    case 'INTERRUPTED':
      return ExitCode.Interrupted
    case 'INTERNAL':
      return ExitCode.InternalError
    default:
      return ExitCode.UsageError
  }
}

/** Narrow `unknown` (from a catch) to an Error, wrapping anything else. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

/** Compile-time exhaustiveness check for discriminated unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new MemgateError('INTERNAL', `Unexpected ${what}: ${JSON.stringify(value)}`)
}
