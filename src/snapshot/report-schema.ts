/**
 * JSON output of `memgate inspect --json`, `memgate diff --json` and the leak-suspects analysis:
 * a versioned contract for CI scripts (STYLE.md §8). Sizes are bytes, times milliseconds.
 * `schemaVersion` changes only when a field is removed or changes meaning; new optional fields
 * may appear within a version.
 *
 * - **inspect** (`kind: 'memgate.snapshot.inspect'`): `snapshot` (path, file size, node and edge
 *   counts, total self size), `reachableSizeBytes`, `unreachableCount`, `classCount` (all
 *   classes) and `classes` (the top N by retained size: className, nodeType, count,
 *   selfSizeBytes, retainedSizeBytes), `timings`.
 * - **diff** (`kind: 'memgate.snapshot.diff'`): `before`/`after` totals, objects added and removed
 *   (count, size) overall, `classCount` (classes that changed) and `classes` (the top N by net
 *   size growth: counts and sizes before/after, added, removed, net), each with `retainers` when
 *   asked: clusters of the added objects' retainer paths in `after` (count of examined objects
 *   sharing the path, their size, and one sample path as text and as steps), `ids` (whether
 *   object ids could be matched: false for snapshots of two processes, when added/removed are
 *   the net change split by sign), `warnings` when there is something to warn of, and `timings`.
 * - **leak suspects** (`kind: 'memgate.snapshot.leaks'`): the three snapshots' totals, suspect
 *   count and size, and per class: count, size and retainer clusters.
 */
import { z } from 'zod'

/** Current version of all three report kinds. */
export const SNAPSHOT_REPORT_SCHEMA_VERSION = 1

const bytes = z.number().nonnegative()
const count = z.number().int().nonnegative()

/** One snapshot's headline figures (see `SnapshotTotals`). */
export const snapshotTotalsSchema = z.object({
  path: z.string(),
  fileSizeBytes: bytes,
  nodeCount: count,
  edgeCount: count,
  totalSelfSizeBytes: bytes,
})

/** One reference on a retainer path: edge type and name (or index), then the node reached. */
export const retainerStepSchema = z.object({
  edgeType: z.string(),
  edge: z.union([z.string(), z.number()]),
  nodeId: count,
  nodeType: z.string(),
  className: z.string(),
})

/** A path from a GC root to one object: its id, the rendered text, the steps. */
export const retainerPathSchema = z.object({
  nodeId: count,
  text: z.string(),
  steps: z.array(retainerStepSchema),
})

/** Objects grouped by retainer path: how many were examined, how many had no path, the top paths. */
export const retainerClustersSchema = z.object({
  examined: count,
  unreachable: count,
  clusters: z.array(z.object({ count, sizeBytes: bytes, path: retainerPathSchema })),
})

/** One class in an inspect report. */
export const classSummarySchema = z.object({
  className: z.string(),
  nodeType: z.string(),
  count,
  selfSizeBytes: bytes,
  retainedSizeBytes: bytes,
})

/** `memgate inspect --json` (kind `memgate.snapshot.inspect`). */
export const inspectReportSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_REPORT_SCHEMA_VERSION),
  kind: z.literal('memgate.snapshot.inspect'),
  snapshot: snapshotTotalsSchema,
  reachableSizeBytes: bytes,
  unreachableCount: count,
  classCount: count,
  classes: z.array(classSummarySchema),
  timings: z.object({ parseMs: z.number().nonnegative(), analyzeMs: z.number().nonnegative() }),
})

/** One class in a diff report; `retainers` only for the growing classes shown. */
export const classDiffSchema = z.object({
  className: z.string(),
  nodeType: z.string(),
  countBefore: count,
  countAfter: count,
  sizeBeforeBytes: bytes,
  sizeAfterBytes: bytes,
  addedCount: count,
  addedSizeBytes: bytes,
  removedCount: count,
  removedSizeBytes: bytes,
  netCount: z.number().int(),
  netSizeBytes: z.number(),
  retainers: retainerClustersSchema.optional(),
})

/** `memgate diff --json` (kind `memgate.snapshot.diff`). */
export const diffReportSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_REPORT_SCHEMA_VERSION),
  kind: z.literal('memgate.snapshot.diff'),
  before: snapshotTotalsSchema,
  after: snapshotTotalsSchema,
  addedCount: count,
  addedSizeBytes: bytes,
  removedCount: count,
  removedSizeBytes: bytes,
  classCount: count,
  classes: z.array(classDiffSchema),
  /**
   * Whether object ids could be matched (both snapshots from one process). When `comparable` is
   * false, added/removed counts and sizes are each class's net change split by sign, and no
   * retainer paths are given. Optional: reports written before it existed lack it.
   */
  ids: z.object({ comparable: z.boolean(), sharedIds: count, mismatchedIds: count }).optional(),
  /** Things the reader must know before trusting the figures (e.g. two different processes). */
  warnings: z.array(z.string()).optional(),
  timings: z.object({ parseMs: z.number().nonnegative(), analyzeMs: z.number().nonnegative() }),
})

/** Leak suspects of three snapshots (kind `memgate.snapshot.leaks`). */
export const leakSuspectsReportSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_REPORT_SCHEMA_VERSION),
  kind: z.literal('memgate.snapshot.leaks'),
  snapshots: z.tuple([snapshotTotalsSchema, snapshotTotalsSchema, snapshotTotalsSchema]),
  count,
  sizeBytes: bytes,
  classes: z.array(
    z.object({
      className: z.string(),
      nodeType: z.string(),
      count,
      sizeBytes: bytes,
      retainers: retainerClustersSchema,
    }),
  ),
})

/** `memgate inspect --json`. */
export type InspectReport = z.infer<typeof inspectReportSchema>
/** `memgate diff --json`. */
export type DiffReport = z.infer<typeof diffReportSchema>
/** Leak suspects of a snapshot triple. */
export type LeakSuspectsReport = z.infer<typeof leakSuspectsReportSchema>
