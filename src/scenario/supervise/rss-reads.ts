/**
 * Where the worker's RSS lives at each stage boundary: the parent reads /proc/<pid>/smaps
 * (src/probe's `readRssCategories`) the moment the worker announces a stage's start or end, with
 * the worker's own V8 figures from that message as hints. The worker waits at each boundary until
 * the read is done (run-worker.ts acknowledges it when `onMessage`'s promise settles), so a worker
 * that exits right after its last stage cannot outrun the read; the reads are attached to the
 * stage results when the worker has ended.
 */
import { readRssCategories, type RssHints } from '../../probe/index.js'
import type { MemorySample } from '../../probe/types.js'
import { compactRssCategories, type RssCategoriesRecord } from '../../run/composition.js'
import type { StageResult } from '../../run/schema.js'
import type { WorkerMessage } from '../protocol.js'

/** The reads of one worker process. */
export interface StageRssReads {
  /**
   * Starts a read for a 'stage-start' or 'stage-end' message; `index` is the stage's record index.
   * @returns the read, settled when it is done (never rejects), or null when the message starts none
   */
  onMessage(pid: number, message: WorkerMessage, index: number): Promise<unknown> | null
  /** Waits for every read and sets `rssCategories` on the stages that have one. */
  attach(stages: StageResult[]): Promise<void>
}

/** The hints `attributeSmaps` takes, from the worker's sample (nulls left out). */
export function hintsOf(sample: MemorySample): RssHints {
  const hints: RssHints = {}
  if (sample.heapTotalBytes !== null) hints.v8HeapBytes = sample.heapTotalBytes
  if (sample.arrayBuffersBytes !== null) hints.arrayBuffersBytes = sample.arrayBuffersBytes
  if (sample.externalBytes !== null) hints.externalBytes = sample.externalBytes
  return hints
}

async function readCompact(pid: number, sample: MemorySample): Promise<RssCategoriesRecord | null> {
  try {
    const read = await readRssCategories(pid, hintsOf(sample))
    return read ? compactRssCategories(read) : null
  } catch {
    // Off Linux, or smaps not readable: the stage simply has no categories.
    return null
  }
}

/** A collector of stage-boundary reads for one worker. */
export function readStageRssCategories(): StageRssReads {
  const reads = new Map<number, { before: Promise<RssCategoriesRecord | null> | null; after: Promise<RssCategoriesRecord | null> | null }>()
  return {
    onMessage(pid, message, index) {
      if (index < 0) return null
      if (message.t === 'stage-start') {
        const before = readCompact(pid, message.before)
        reads.set(index, { before, after: null })
        return before
      }
      if (message.t === 'stage-end') {
        const entry = reads.get(index)
        if (entry) return (entry.after = readCompact(pid, message.after))
      }
      return null
    },
    async attach(stages) {
      for (const [index, entry] of reads) {
        const stage = stages[index]
        if (!stage) continue
        const [before, after] = await Promise.all([entry.before, entry.after])
        stage.rssCategories = { before: before ?? null, after: after ?? null }
      }
    },
  }
}
