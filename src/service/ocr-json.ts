/**
 * The body of `POST /ocr`: the object `memgate ocr --json` prints per input.
 *
 * TODO(shared): this mirrors `toJsonLine`/`OcrJsonLine` in src/cli/commands/ocr.ts, which the
 * service may not import (nothing imports cli). Both should move to one owner, e.g.
 * `src/engine/json.ts` exported from src/engine/index.ts, and the CLI and the service import it.
 */
import type { OcrResult } from '../engine/index.js'

/** Same shape as the CLI's `OcrJsonLine`. */
export type OcrJson =
  | ({ file: string; ok: true } & Pick<OcrResult, 'text' | 'lines' | 'confidence' | 'fields' | 'ms'>)
  | { file: string; ok: false; error: { code: string; message: string } }

export function okJson(file: string, r: OcrResult): OcrJson {
  return { file, ok: true, text: r.text, lines: r.lines, confidence: r.confidence, fields: r.fields, ms: r.ms }
}

export function errorJson(file: string, code: string, message: string): OcrJson {
  return { file, ok: false, error: { code, message } }
}
