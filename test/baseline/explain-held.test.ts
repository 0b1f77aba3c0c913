/** The heap part of the explanation against old and new baselines: held sizes when both record them, self sizes otherwise. */
import { describe, expect, it } from 'vitest'
import { baselineFileSchema, heapCompositionOf, summarizeBaseline, type BaselineLookup } from '../../src/baseline/baseline-file.js'
import { heapVsBaseline } from '../../src/baseline/explain-rss.js'
import type { HeapClassRow } from '../../src/run/composition.js'
import { makeRun, makeScenario, peaks } from '../fixtures/gate/runs.js'

/** A baseline file as JSON, with `heap` as its composition, read back as the store reads it. */
function found(heap: unknown): BaselineLookup {
  const base = makeScenario('load', peaks(400, 402, 398))
  const json = JSON.parse(JSON.stringify({ ...summarizeBaseline(makeRun([base]), base, null), composition: { stage: 'cycle-3', heap } }))
  return { state: 'found', file: 'b.json', baseline: baselineFileSchema.parse(json) }
}

// This run: 3,000 more CachedResponses holding 1.2 MiB of body strings; a new LeakedRequestLog class.
const current: HeapClassRow[] = [
  { className: '(string)', count: 23_000, selfBytes: 3_400_000, heldBytes: 400_000 },
  { className: 'CachedResponse', count: 3500, selfBytes: 140_000, heldBytes: 1_400_000 },
  { className: 'Map', count: 10, selfBytes: 1000, heldBytes: 0 },
  { className: 'LeakedRequestLog', count: 40, selfBytes: 1600, heldBytes: 42_000 },
  { className: 'Tiny', count: 1, selfBytes: 16, heldBytes: 16 },
]

describe('heapVsBaseline', () => {
  it('ranks by held size against a baseline that records it, comparing unlisted classes above the rest’s largest', () => {
    const heap = heapCompositionOf('snap.heapsnapshot', [
      { className: '(string)', count: 20_000, selfBytes: 2_200_000, heldBytes: 390_000 },
      { className: 'CachedResponse', count: 500, selfBytes: 20_000, heldBytes: 200_000 },
      { className: 'Map', count: 10, selfBytes: 1000, heldBytes: 0 },
      { className: 'Tiny', count: 1, selfBytes: 16, heldBytes: 16 },
    ], 2)
    const lookup = found(heap)
    expect(lookup.state === 'found' && lookup.baseline.composition?.heap?.rest).toEqual({ classes: 2, count: 11, selfBytes: 1016, heldBytes: 16, maxSelfBytes: 1000, maxHeldBytes: 16 })
    const vs = heapVsBaseline({ stage: 'cycle-3', classes: current }, lookup)
    expect(vs?.basis).toBe('held')
    expect(vs?.classes.map((c) => c.className)).toEqual(['CachedResponse', 'LeakedRequestLog', '(string)'])
    expect(vs?.classes[0]).toMatchObject({ countDelta: 3000, selfDeltaBytes: 120_000, heldDeltaBytes: 1_200_000 })
  })

  it('falls back to self sizes against a baseline written before held sizes (its JSON still loads)', () => {
    const old = {
      snapshot: 'snap.heapsnapshot',
      totalSelfBytes: 2_221_016,
      classes: [
        { className: '(string)', count: 20_000, selfBytes: 2_200_000 },
        { className: 'CachedResponse', count: 500, selfBytes: 20_000 },
      ],
      rest: { classes: 2, count: 11, selfBytes: 1016 },
    }
    const vs = heapVsBaseline({ stage: 'cycle-3', classes: current }, found(old))
    expect(vs?.basis).toBe('self')
    // As before held sizes: by self growth; an unlisted class counts when above the smallest listed self size.
    expect(vs?.classes.map((c) => c.className)).toEqual(['(string)', 'CachedResponse'])
    expect(vs?.classes[0]).toMatchObject({ countDelta: 3000, selfDeltaBytes: 1_200_000 })
    expect(vs?.classes.every((c) => c.heldDeltaBytes === undefined)).toBe(true)
  })

  it('is null without a heap composition on either side', () => {
    expect(heapVsBaseline(null, found({ snapshot: 's', totalSelfBytes: 0, classes: [], rest: { classes: 0, count: 0, selfBytes: 0 } }))).toBeNull()
    expect(heapVsBaseline({ stage: 'cycle-3', classes: current }, { state: 'missing', file: 'b.json' })).toBeNull()
  })
})
