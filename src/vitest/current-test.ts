/** The test running in this worker, so the matcher can add its figures to the test's meta. */
import type { LeakCheckFigures } from './figures.js'

let checks: LeakCheckFigures[] | null = null

/** Called by the hooks before each test: start collecting leak checks. */
export function beginTest(): void {
  checks = []
}

/** Called by the hooks after each test: the leak checks the test ran. */
export function endTest(): LeakCheckFigures[] {
  const out = checks ?? []
  checks = null
  return out
}

/** Records one leak check when a test is being measured (no-op otherwise). */
export function recordLeakCheck(figures: LeakCheckFigures): void {
  checks?.push(figures)
}

/** Defaults of `toLeakMemory` for the running test, set by the hooks. */
let leakDefaults: unknown = undefined
export const setLeakDefaults = (value: unknown): void => {
  leakDefaults = value
}
export const getLeakDefaults = (): unknown => leakDefaults
