import type { FieldLine } from '../../../src/engine/fields/index.js'

/**
 * Builds field-extractor input from plain strings, every line read with the same OCR confidence.
 * @param confidence 0..1 @default 1
 */
export function lines(texts: readonly string[], confidence = 1): FieldLine[] {
  return texts.map((text) => ({ text, confidence }))
}
