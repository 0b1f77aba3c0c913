/** `src/native`: native allocation profiling with heaptrack. Named re-exports only. */
export { detectHeaptrack, HEAPTRACK_INSTALL_COMMAND, type DetectOptions, type HeaptrackTools } from './detect.js'
export { runUnderHeaptrack, type HeaptrackRunOptions } from './run.js'
export { parseHeaptrackPrint, parseHeaptrackSize, type HeaptrackFrame, type HeaptrackPrintOutput, type HeaptrackSummary, type HeaptrackTrace } from './parse-print.js'
export { attributionIndex, namedFrameOf, sharedObjectOf, shortFunctionName, type NamedFrame, type NamedFrameKind } from './attribute.js'
export {
  buildNativeProfile,
  heaptrackPrintArgs,
  readNativeProfile,
  type NativeFrameGroup,
  type NativeGroup,
  type NativeProfile,
  type NativeProfileOptions,
  type NativeSite,
  type NativeTotals,
} from './profile.js'
