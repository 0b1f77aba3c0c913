/**
 * One page through the models: detect boxes → reading order → crops in width-sorted batches →
 * optional 180° fix → recognition → lines. Only one batch of crops exists at a time; the page's
 * pixels are the only full-size buffer.
 */
import { fixUpsideDown } from './cls.js'
import { cropLine, cropWidthFor, type LineCrop } from './crop.js'
import type { DecodedChar } from './ctc.js'
import { detectText, type DetectParams, type RgbImage } from './det.js'
import type { SharpFactory } from '../decode/decode-sharp.js'
import type { OrtModule } from '../model/native.js'
import { readingOrder } from './reading-order.js'
import { REC_HEIGHT, recognizeBatch } from './rec.js'
import type { Session } from '../model/sessions.js'
import type { OcrLine, Quad } from '../types.js'

/** Everything one page needs: native modules, sessions, dictionary and settings. */
export interface PipelineContext {
  ort: OrtModule
  sharp: SharpFactory
  det: Session
  rec: Session
  /** Present when the angle classifier is on. */
  cls: Session | undefined
  labels: readonly string[]
  keysPath: string
  detect: DetectParams
  recBatchSize: number
  /** Background frame around each line in the recogniser strip, as a fraction of the text height. */
  cropPadRatio: number
  /** Gap space threshold, see `ctcDecodeTopK`. */
  spaceThreshold: number
  minLineConfidence: number
  clsThreshold: number
}

/** A recognised line with the evidence behind it (kept for post-processing; `OcrLine` is the public subset). */
export interface RecognizedLine {
  text: string
  /** Mean character probability, 0..1. */
  confidence: number
  /** Source-image pixels, clockwise from top-left, unrounded. */
  quad: Quad
  /** Row number in reading order (same row = same printed line). */
  row: number
  /** Mean detector probability inside the box, 0..1. */
  detScore: number
  /** Whether the angle classifier turned the crop upside down. */
  flipped: boolean
  /** Per-character probabilities and runner-up classes. */
  chars: DecodedChar[]
}

/** Reads every text line of a page, in reading order; lines below `minLineConfidence` are dropped. */
export async function readLines(ctx: PipelineContext, image: RgbImage): Promise<RecognizedLine[]> {
  const boxes = await detectText({ ort: ctx.ort, sharp: ctx.sharp, session: ctx.det }, image, ctx.detect)
  if (boxes.length === 0) return []
  const { order, row } = readingOrder(boxes.map((b) => b.quad))
  const quads = order.map((i) => boxes[i]!.quad)
  const widths = quads.map((q) => cropWidthFor(q, REC_HEIGHT, ctx.cropPadRatio))
  // Width-sorted batches (PaddleOCR sorts by aspect ratio): neighbours pad to similar widths.
  const byWidth = order.map((_, k) => k).sort((a, b) => widths[a]! - widths[b]!)
  const results: (RecognizedLine | undefined)[] = new Array(order.length)
  for (let start = 0; start < byWidth.length; start += ctx.recBatchSize) {
    const batch = byWidth.slice(start, start + ctx.recBatchSize)
    const crops: LineCrop[] = batch.map((k) => cropLine(image, quads[k]!, REC_HEIGHT, ctx.cropPadRatio))
    const flipped = ctx.cls ? await fixUpsideDown({ ort: ctx.ort, session: ctx.cls, threshold: ctx.clsThreshold }, crops) : []
    const decoded = await recognizeBatch({ ort: ctx.ort, session: ctx.rec, labels: ctx.labels, keysPath: ctx.keysPath, spaceThreshold: ctx.spaceThreshold }, crops)
    batch.forEach((k, j) => {
      const d = decoded[j]!
      const box = boxes[order[k]!]!
      // The background frame sometimes reads as a leading or trailing space.
      const chars = trimSpaces(d.chars)
      results[k] = {
        text: chars.map((c) => c.char).join(''),
        confidence: d.confidence,
        quad: box.quad,
        row: row[k]!,
        detScore: box.score,
        flipped: flipped[j] ?? false,
        chars,
      }
    })
  }
  return results.filter((l): l is RecognizedLine => l !== undefined && l.confidence >= ctx.minLineConfidence && l.text.trim() !== '')
}

function trimSpaces(chars: DecodedChar[]): DecodedChar[] {
  let start = 0
  let end = chars.length
  while (start < end && chars[start]!.char.trim() === '') start++
  while (end > start && chars[end - 1]!.char.trim() === '') end--
  return start === 0 && end === chars.length ? chars : chars.slice(start, end)
}

/** The public view of a line: text, confidence and the box rounded to whole pixels. */
export function toOcrLine(line: RecognizedLine): OcrLine {
  const box = line.quad.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })) as Quad
  return { text: line.text, confidence: line.confidence, box }
}

/** Page text: lines of one row joined by a space, rows by a newline. */
export function pageText(lines: readonly RecognizedLine[]): string {
  const rows: string[] = []
  let currentRow = -1
  for (const line of lines) {
    const text = line.text.trim()
    if (line.row === currentRow) rows[rows.length - 1] += ` ${text}`
    else rows.push(text)
    currentRow = line.row
  }
  return rows.join('\n')
}
