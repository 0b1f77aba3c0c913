/**
 * The JSON object of one input: what `memgate ocr --json` prints per line and what `memgate serve`
 * answers to `POST /ocr` (documented in the README). One owner for both.
 */
import type { OcrResult } from './types.js'

/** One input read (`ok: true`, the result's figures) or rejected (`ok: false`, the typed error). */
export type OcrJson =
  | ({ file: string; ok: true } & Pick<OcrResult, 'text' | 'lines' | 'confidence' | 'fields' | 'ms'>)
  | { file: string; ok: false; error: { code: string; message: string } }

/** The object of an input read. */
export function okJson(file: string, r: OcrResult): OcrJson {
  return { file, ok: true, text: r.text, lines: r.lines, confidence: r.confidence, fields: r.fields, ms: r.ms }
}

/** The object of an input rejected with error `code`. */
export function errorJson(file: string, code: string, message: string): OcrJson {
  return { file, ok: false, error: { code, message } }
}
