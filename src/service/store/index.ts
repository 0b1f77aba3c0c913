/** The result store: pick SQLite or PostgreSQL from the resolved options. */
import type { ResolvedServeOptions } from '../options.js'
import { openPostgresStore } from './postgres.js'
import { openSqliteStore } from './sqlite.js'
import type { ResultStore } from './types.js'

export type { FullResultRow, NewResult, ResultPage, ResultRow, ResultStats, ResultStore } from './types.js'
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, STORE_KINDS, type StoreKind } from './types.js'
export { statsNaive, sumInJs } from './naive.js'
export { openSqliteStore } from './sqlite.js'
export { openPostgresStore } from './postgres.js'

/** Opens the store the options name (PostgreSQL when a URL was given, else the SQLite file). */
export function openStore(store: ResolvedServeOptions['store']): Promise<ResultStore> {
  return store.kind === 'postgres' ? openPostgresStore(store.url) : openSqliteStore(store.file)
}
