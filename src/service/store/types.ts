/** The result store: one small interface, two implementations (SQLite, PostgreSQL). */

/** Store kinds (`memgate serve --store`): the one list yargs choices and scenarios derive from. */
export const STORE_KINDS = ['sqlite', 'postgres'] as const
export type StoreKind = (typeof STORE_KINDS)[number]

/** What the service stores per successful OCR request. */
export interface NewResult {
  file: string
  text: string
  lineCount: number
  /** Mean line confidence, 0..1. */
  confidence: number
  /** Recognition wall time, milliseconds. */
  ms: number
  /** The invoice total as a number, when the engine found one. */
  total: number | null
  currency: string | null
  invoiceNumber: string | null
  /** ISO date found on the page. */
  date: string | null
  /** The full response object, as JSON text. */
  resultJson: string
}

/** One row as listed by `GET /results` (without the full JSON). */
export interface ResultRow extends Omit<NewResult, 'resultJson'> {
  id: number
  /** ISO 8601 timestamp. */
  createdAt: string
}

/** A full row, as the naive whole-table read returns it. */
export interface FullResultRow extends ResultRow {
  resultJson: string
}

export interface ResultPage {
  page: number
  pageSize: number
  /** Rows in the table. */
  total: number
  items: ResultRow[]
}

/** Aggregates over the whole table; `null` where there are no values to aggregate. */
export interface ResultStats {
  count: number
  /** Rows with an invoice total. */
  withTotal: number
  sumTotal: number | null
  avgTotal: number | null
  minTotal: number | null
  maxTotal: number | null
  avgConfidence: number | null
  avgMs: number | null
  sumLines: number
}

/** Where results live. Every read is bounded (a page, or aggregates) except the `*Naive` ones. */
export interface ResultStore {
  readonly kind: StoreKind
  /** Creates the table and indexes if missing. Run once, in the primary, before workers start. */
  migrate(): Promise<void>
  /** @returns the new row's id */
  insert(row: NewResult): Promise<number>
  /** One page (1-based), newest last; `pageSize` is trusted (validated at the HTTP boundary). */
  page(page: number, pageSize: number): Promise<ResultPage>
  /** Aggregates computed by the database (one row comes back, whatever the table's size). */
  stats(): Promise<ResultStats>
  /**
   * DELIBERATELY NAIVE, for data-access comparisons only: reads every row with its full JSON into
   * memory (Django's `objects.all()`). Never used by a default endpoint.
   */
  readAllNaive(): Promise<FullResultRow[]>
  close(): Promise<void>
}

/** Largest page `GET /results` serves. */
export const MAX_PAGE_SIZE = 100
export const DEFAULT_PAGE_SIZE = 20
