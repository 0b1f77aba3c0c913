/**
 * Text recognition: one batch of upright line crops (height 48) into a padded NCHW tensor, the
 * PP-OCRv4 recogniser, then CTC decoding. Mirrors PaddleOCR's `resize_norm_img` for SVTR_LCNet:
 * `v / 127.5 - 1` per channel in BGR order, right-padded with zeros to the widest crop and at
 * least 320 pixels (the width the model was trained on).
 */
import { ModelError } from '../common/errors.js'
import type { LineCrop } from './crop.js'
import { ctcGreedyDecode, type DecodedText } from './ctc.js'
import type { OrtModule } from './native.js'

/** Height of recogniser input, pixels (PP-OCRv4 `rec_image_shape` 3,48,320). */
export const REC_HEIGHT = 48
/** Narrowest recogniser input, pixels: PaddleOCR pads every batch to at least 48 × 320/48. */
export const REC_MIN_WIDTH = 320

/** What recognition needs from the engine. */
export interface RecContext {
  ort: OrtModule
  session: import('onnxruntime-node').InferenceSession
  /** Class labels, blank first (see `parseDictionary`). */
  labels: readonly string[]
  /** Path of the keys file, for error messages. */
  keysPath: string
  /** Space probability in a gap between characters above which a space is read (see `ctcGreedyDecode`). */
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

/** Recognises a batch of crops; results are in the order of `crops`. */
export async function recognizeBatch(ctx: RecContext, crops: readonly LineCrop[]): Promise<DecodedText[]> {
  if (crops.length === 0) return []
  const width = Math.max(REC_MIN_WIDTH, ...crops.map((c) => c.width))
  const input = new ctx.ort.Tensor('float32', recBatchTensor(crops, width), [crops.length, 3, REC_HEIGHT, width])
  const inputName = ctx.session.inputNames[0] ?? 'x'
  const outputName = ctx.session.outputNames[0] ?? 'softmax_11.tmp_0'
  const output = (await ctx.session.run({ [inputName]: input }))[outputName]
  const dims = output?.dims ?? []
  const [batch, steps, classes] = [dims[0] ?? 0, dims[1] ?? 0, dims[2] ?? 0]
  if (!output || !(output.data instanceof Float32Array) || batch !== crops.length || dims.length !== 3) {
    throw new ModelError('MODEL_CORRUPT', `The recognition model returned no [batch, steps, classes] float32 output named ${outputName}; it is not a PP-OCR CTC recogniser. Check the rec model path in the engine options.`)
  }
  if (classes !== ctx.labels.length) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `The recognition model has ${classes} classes but the dictionary ${ctx.keysPath} gives ${ctx.labels.length} (blank + ${ctx.labels.length - 2} keys + space). Use the keys file that belongs to the rec model.`,
    )
  }
  const probs = output.data
  const results: DecodedText[] = []
  for (let b = 0; b < batch; b++) results.push(ctcGreedyDecode(probs, b * steps * classes, steps, ctx.labels, 2, ctx.spaceThreshold))
  return results
}
