/**
 * Shards: one part of a suite split over a CI job matrix (`--shard i/n`). The run of a shard is a
 * partial run (run.json's `shard`); `memgate merge` (merge.ts) joins the partials into one run.
 * memgate schedules nothing across machines itself: the CI's job matrix runs the shards.
 *
 * Which scenarios a shard runs is decided where the run options are resolved
 * (src/config/run-options.ts, `shardShare`), over the resolved scenario list.
 */
import { UsageError } from '../common/errors.js'

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number
  count: number
}

/**
 * Parses `i/n` (1 ≤ i ≤ n), as typed after `--shard`.
 * @example parseShard('2/3') // { index: 2, count: 3 }
 * @throws UsageError for anything else (`0/2`, `3/2`, `a/b`, `1/0`, `2`)
 */
export function parseShard(text: string, flag = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const how = `write ${flag} i/n with 1 ≤ i ≤ n, e.g. ${flag} 1/2 and ${flag} 2/2 in two CI jobs`
  if (!m) throw new UsageError(`${flag} takes i/n (this job's shard i of n shards) but received ${JSON.stringify(text)}; ${how}.`)
  const index = Number(m[1])
  const count = Number(m[2])
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count)) throw new UsageError(`${flag} ${text}: too many shards; ${how}.`)
  if (count < 1) throw new UsageError(`${flag} ${text}: the number of shards must be at least 1; ${how}.`)
  if (index < 1 || index > count) throw new UsageError(`${flag} ${text}: shard ${index} does not exist among ${count} (shards count from 1 to ${count}); ${how}.`)
  return { index, count }
}

/** `i/n`, as the flag takes it. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`
}
