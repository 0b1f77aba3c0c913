/**
 * Remote capture: heap snapshots and allocation sampling of a running Node.js process through its
 * inspector (SIGUSR1, /proc, the DevTools protocol over `ws`). Part of the `snapshot` leaf:
 * imports only `common` and `snapshot`.
 *
 * Re-exported by the public API (src/index.ts); not by src/snapshot/index.ts, which the measured
 * worker loads: `ws` has no business in a process whose memory is the figure.
 */
export {
  captureRemoteSnapshot,
  openRemoteSnapshotSession,
  type RemoteCaptureOptions,
  type RemoteCaptureResult,
  type RemoteCaptureProgress,
  type RemoteSessionOptions,
  type RemoteSnapshotSession,
  type RemoteSnapshotFile,
} from './capture-remote.js'
export { sampleRemoteAllocations, type RemoteSamplingOptions, type RemoteSamplingResult } from './sample-remote.js'
export { RemoteSnapshotError, REMOTE_FAILURE_CODES, type RemoteFailureReason } from './errors.js'
export { SNAPSHOT_MEMORY_FACTOR, type SnapshotMemoryEstimate } from './memory-estimate.js'
export { openRemoteInspector, type RemoteInspector, type ReleaseResult, type OpenInspectorOptions } from './open-inspector.js'
export { inspectorAddressFrom, type InspectorAddress, type AvailableMemory } from './proc.js'
