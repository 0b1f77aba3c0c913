/**
 * Text recognition: one batch of upright line crops (height 48) into a padded NCHW tensor, the
 * PP-OCRv4 recogniser, then CTC decoding. Mirrors PaddleOCR's `resize_norm_img` for SVTR_LCNet:
 * `v / 127.5 - 1` per channel in BGR order, right-padded with zeros to the widest crop and at
 * least 320 pixels (the width the model was trained on).
 */
import { ModelError } from '../../common/errors.js'
import type { LineCrop } from './crop.js'
import { ctcDecodeTopK, type DecodedText, topKFromProbs, type TopKSteps } from './ctc.js'
import { SPACE_PROB, TOPK_INDICES, TOPK_VALUES } from '../model/rec-model.js'
import type { OrtModule } from '../model/native.js'

/** Height of recogniser input, pixels (PP-OCRv4 `rec_image_shape` 3,48,320). */
export const REC_HEIGHT = 48
/**
 * Narrowest recogniser input, pixels. PaddleOCR pads every batch to at least 320; the network's
 * cost grows with the width, and a page's many short lines (amounts, dates, labels) were padded
 * to 320 for nothing. Measured on the generated corpora (lean, batch 1): 320 → 128 took 20–25%
 * off the CPU time per page; mean CER 1.09% → 1.04% on the 41 precision documents and 0.62% →
 * 0.70% on six A4 load pages (one line's reading changed); 64 and 32 were no faster than 128.
 */
export const REC_MIN_WIDTH = 128

/** What recognition needs from the engine. */
export interface RecContext {
  ort: OrtModule
  session: import('onnxruntime-node').InferenceSession
  /** Class labels, blank first (see `parseDictionary`). */
  labels: readonly string[]
  /** Path of the keys file, for error messages. */
  keysPath: string
  /** Space probability in a gap between characters above which a space is read (see `ctcDecodeTopK`). */
  spaceThreshold: number
}

/** Builds the padded NCHW tensor data for a batch of crops of height {@link REC_HEIGHT}. */
export function recBatchTensor(crops: readonly LineCrop[], width: number): Float32Array {
  const plane = REC_HEIGHT * width
  const out = new Float32Array(crops.length * 3 * plane)
  crops.forEach((crop, b) => {
    const w = Math.min(crop.width, width)
    for (let c = 0; c < 3; c++) {
      const src = 2 - c // BGR from RGB
      const base = (b * 3 + c) * plane
      for (let y = 0; y < REC_HEIGHT; y++) {
        let s = y * crop.width * 3 + src
        let d = base + y * width
        for (let x = 0; x < w; x++, s += 3) out[d++] = crop.data[s]! / 127.5 - 1
      }
    }
  })
  return out
}

/** How many classes per step the engine keeps: the best and two runner-ups. */
export const REC_TOP_K = 3

function badOutput(what: string): ModelError {
  return new ModelError('MODEL_CORRUPT', `The recognition model returned no ${what}; it is not a PP-OCR CTC recogniser. Check the rec model path in the engine options.`)
}

/** Recognises a batch of crops; results are in the order of `crops`. */
export async function recognizeBatch(ctx: RecContext, crops: readonly LineCrop[]): Promise<DecodedText[]> {
  if (crops.length === 0) return []
  const width = Math.max(REC_MIN_WIDTH, ...crops.map((c) => c.width))
  const input = new ctx.ort.Tensor('float32', recBatchTensor(crops, width), [crops.length, 3, REC_HEIGHT, width])
  const feeds = { [ctx.session.inputNames[0] ?? 'x']: input }
  const tops = ctx.session.outputNames.includes(TOPK_VALUES) ? await runTopK(ctx, feeds, crops.length) : await runFull(ctx, feeds, crops.length)
  return tops.map((top) => ctcDecodeTopK(top, ctx.labels, ctx.spaceThreshold))
}

type Feeds = Record<string, import('onnxruntime-node').Tensor>

/** The model carries top-k outputs (see rec-model.ts): fetch only those. */
async function runTopK(ctx: RecContext, feeds: Feeds, batch: number): Promise<TopKSteps[]> {
  const out = await ctx.session.run(feeds, [TOPK_VALUES, TOPK_INDICES, SPACE_PROB])
  const values = out[TOPK_VALUES]?.data
  const indices = out[TOPK_INDICES]?.data
  const space = out[SPACE_PROB]?.data
  const dims = out[TOPK_VALUES]?.dims ?? []
  if (!(values instanceof Float32Array) || !(indices instanceof Int32Array) || !(space instanceof Float32Array) || dims[0] !== batch) {
    throw badOutput('top-k outputs')
  }
  const [, steps = 0, k = 0] = dims
  return Array.from({ length: batch }, (_, b) => ({
    steps,
    k,
    values: values.subarray(b * steps * k, (b + 1) * steps * k),
    indices: indices.subarray(b * steps * k, (b + 1) * steps * k),
    space: space.subarray(b * steps, (b + 1) * steps),
  }))
}

/** A model loaded as is: fetch the whole softmax and reduce it here. */
async function runFull(ctx: RecContext, feeds: Feeds, batch: number): Promise<TopKSteps[]> {
  const outputName = ctx.session.outputNames[0] ?? 'softmax_11.tmp_0'
  const output = (await ctx.session.run(feeds))[outputName]
  const dims = output?.dims ?? []
  const [n, steps = 0, classes = 0] = dims
  if (!output || !(output.data instanceof Float32Array) || n !== batch || dims.length !== 3) throw badOutput(`[batch, steps, classes] float32 output named ${outputName}`)
  checkClasses(ctx, classes)
  const spaceIndex = ctx.labels.at(-1) === ' ' ? ctx.labels.length - 1 : -1
  const probs = output.data
  return Array.from({ length: batch }, (_, b) => topKFromProbs(probs, b * steps * classes, steps, classes, REC_TOP_K, spaceIndex))
}

/** The model's class count must match the dictionary: blank + keys + space. */
export function checkClasses(ctx: Pick<RecContext, 'labels' | 'keysPath'>, classes: number): void {
  if (classes !== ctx.labels.length) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `The recognition model has ${classes} classes but the dictionary ${ctx.keysPath} gives ${ctx.labels.length} (blank + ${ctx.labels.length - 2} keys + space). Use the keys file that belongs to the rec model.`,
    )
  }
}
