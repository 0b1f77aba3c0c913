/**
 * The input line shape and the one place an {@link ExtractedField} is built, so every extractor
 * computes `confidence` the same way (line OCR confidence × extractor certainty).
 */
import type { ExtractedField } from '../types.js'

/** One recognised line as the field extractors need it: its text and its OCR confidence (0..1). */
export interface FieldLine {
  readonly text: string
  /** Mean per-character probability from the recogniser, 0..1. */
  readonly confidence: number
}

/** Clamps to 0..1; NaN (a line with no characters scored) counts as 0. */
export function clamp01(value: number): number {
  if (!(value > 0)) return 0
  return value > 1 ? 1 : value
}

/**
 * Builds a field read from `lines[line]`.
 * @param certainty how sure the extractor is of its reading, 0..1, independent of OCR quality.
 * @returns `confidence` = line confidence × certainty, rounded to 4 decimals so equal inputs
 * compare equal in tests and JSON.
 */
export function makeField(lines: readonly FieldLine[], line: number, value: string, certainty: number, kind?: string): ExtractedField {
  const source = lines[line]
  const confidence = Math.round(clamp01(source?.confidence ?? 0) * clamp01(certainty) * 10_000) / 10_000
  const field: ExtractedField = { value, confidence, line, source: source?.text ?? '' }
  if (kind !== undefined) field.kind = kind
  return field
}
