/**
 * probe: memory and CPU samplers for this process, another PID or a process tree, and bounded
 * timelines. A leaf module: imports only `common`.
 */
export type { HeapSpaceSample, MemorySample, SampleSource, TreeSample } from './types.js'
export { sampleSelf, sampleSelfPortable, type SampleSelfOptions } from './sample-self.js'
export { samplePid, type SamplePidOptions } from './sample-pid.js'
export { DEFAULT_SMAPS_MIN_INTERVAL_MS, type SmapsOptions } from './smaps-schedule.js'
export { sampleTree, listDescendants } from './sample-tree.js'
export { createTimeline, DEFAULT_MAX_SAMPLES, type Timeline, type TimelineOptions } from './timeline.js'
export { DecimatingSeries } from './decimating-series.js'
export { resetPeakRss } from './peak-reset.js'
export { readProcStatus, type ProcStatus } from './proc-status.js'
export { startEventLoopMonitor, stopEventLoopMonitor, type EventLoopMonitorOptions } from './event-loop.js'
export { attributeSmaps, readRssCategories, diffRssCategories, describeRssDiff, formatDelta, parseSmaps, SmapsParser, sharedObjectName, RSS_CATEGORY, RSS_CATEGORY_KINDS, type RssAttribution, type RssCategories, type RssCategory, type RssCategoryDelta, type RssCategoryKind, type RssHints, type DescribeRssDiffOptions, type SmapsMapping } from './where-rss-lives.js'
export { readMeminfo, parseMeminfo, type SystemMemory } from './meminfo.js'
export { watchProcesses, resolveSelection, compilePattern, CHECKPOINT_MS, MAX_EVENTS, MAX_PROCESS_RECORDS, MIN_CHECKPOINT_GAP_MS, SMAPS_READS_PER_SECOND, type WatchOptions, type WatchResult, type WatchSoFar, type WatchEndReason, type WatchSelection, type ResolvedSelection, type WatchTick, type WatchEvent, type ProcessRow, type TreeTotals, type WatchedProcess, type CommandExit, type EndGroup, type EndedProcess } from './watch/index.js'
