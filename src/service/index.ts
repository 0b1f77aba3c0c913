/** The OCR HTTP service (`memgate serve`). Named re-exports only. */
export { startService, type ServiceHandle } from './primary.js'
export { resolveServeOptions, drawMaxRequests, SERVE_PROFILE_NAMES, type ServeOptions, type ResolvedServeOptions } from './options.js'
export { buildApp, type AppDeps, type Recognizer, type ServiceApp } from './app.js'
export { jsonLineSink, type ServiceEvent, type ServiceEventName, type EventSink } from './events.js'
export { openStore, openSqliteStore, openPostgresStore, statsNaive, sumInJs, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, STORE_KINDS, type StoreKind } from './store/index.js'
export type { ResultStore, ResultStats, ResultPage, ResultRow, FullResultRow, NewResult } from './store/index.js'
