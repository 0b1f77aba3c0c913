/** Public data types of the OCR engine. The engine knows nothing of memgate beyond src/common. */

/** An image to read: a file path, or the encoded bytes of an image file. */
export type ImageInput = string | Uint8Array

/** A point in source-image pixels. */
export interface Point {
  x: number
  y: number
}

/** A text line's quadrilateral in source-image pixels, clockwise from top-left. */
export type Quad = [Point, Point, Point, Point]

/** One recognised line of text. */
export interface OcrLine {
  text: string
  /** Mean per-character probability of the recognised text, 0..1. */
  confidence: number
  box: Quad
}

/** A field extracted from the recognised lines. */
export interface ExtractedField {
  /** Normalised value: ISO date `yyyy-mm-dd`, total `"1234.56"`, ISO currency code, raw ids. */
  value: string
  /** 0..1: the source line's OCR confidence times the extractor's certainty. */
  confidence: number
  /** Index of the source line in `lines`. */
  line: number
  /** The text of the source line. */
  source: string
  /** For tax ids: the scheme recognised (`CNPJ`, `CPF`, `NIF`, `CIF`, `RFC`, `VAT`, `EIN`, `GST`). */
  kind?: string
}

/** Names of the extracted fields. */
export type FieldName = 'date' | 'total' | 'invoiceNumber' | 'taxId' | 'currency'
/** The fields found on a page; a field is absent when it was not found. */
export type Fields = Partial<Record<FieldName, ExtractedField>>

/** The result for one image. */
export interface OcrResult {
  /** Page text: same-row boxes joined by spaces, rows by newlines. */
  text: string
  lines: OcrLine[]
  /** Mean line confidence, 0 when there are no lines. */
  confidence: number
  fields: Fields
  /** Decoded (oriented) image size in pixels. */
  width: number
  height: number
  /** Wall time of recognition, milliseconds. */
  ms: number
}

/** What `recognizeMany` yields per input: a result, or the error for that input (never thrown). */
export type OcrItem<T = ImageInput> =
  | { input: T; ok: true; result: OcrResult }
  | { input: T; ok: false; error: import('../common/errors.js').MemgateError }
