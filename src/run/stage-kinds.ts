/** The kinds of stage a run records. Imports nothing, so the worker reads it without zod. */

/**
 * What a stage is, so gates and reports know which figures to read:
 * - `setup`/`teardown`: the scenario's own setup and teardown, recorded like stages.
 * - `startup`: loads something; its after-minus-before RSS is one layer of the memory distribution.
 * - `work`: timed operations (a load, a burst); ops and throughput matter.
 * - `cycle`: one of several identical cycles; drift is computed across the cycles' after-samples.
 * - `bench`: a micro-benchmark; tinybench computes the latency statistics.
 * - `idle`: waits without work, to see what memory is given back.
 */
export const STAGE_KINDS = ['setup', 'startup', 'work', 'cycle', 'bench', 'idle', 'teardown'] as const
export type StageKind = (typeof STAGE_KINDS)[number]
