/**
 * The optional 180° text-angle classifier (PaddleOCR mobile v2.0 cls): crops squeezed into
 * 48×192 (`cls_image_shape`), normalised `v / 127.5 - 1`, right-padded with zeros; a crop whose
 * "180" probability exceeds the threshold is turned upside down before recognition.
 */
import { ModelError } from '../../common/errors.js'
import { rotate180, type LineCrop } from './crop.js'
import type { OrtModule } from '../model/native.js'

/** Classifier input height, pixels (`cls_image_shape` 3,48,192). */
export const CLS_HEIGHT = 48
/** Classifier input width, pixels; wider crops are squeezed to it. */
export const CLS_WIDTH = 192

/** What the classifier needs from the engine. */
export interface ClsContext {
  ort: OrtModule
  session: import('onnxruntime-node').InferenceSession
  /** Probability of "180" above which a crop is flipped (PaddleOCR `cls_thresh`). */
  threshold: number
}

/**
 * Writes `crop` (height {@link CLS_HEIGHT}) into one batch slot, squeezing it horizontally when
 * wider than {@link CLS_WIDTH} (area-averaged) and leaving zeros to its right otherwise.
 */
function writeClsSlot(out: Float32Array, slot: number, crop: LineCrop): void {
  const plane = CLS_HEIGHT * CLS_WIDTH
  const w = Math.min(CLS_WIDTH, crop.width)
  const step = crop.width / w
  for (let c = 0; c < 3; c++) {
    const src = 2 - c // BGR from RGB
    const base = (slot * 3 + c) * plane
    for (let y = 0; y < CLS_HEIGHT; y++) {
      const row = y * crop.width * 3
      for (let x = 0; x < w; x++) {
        const from = Math.floor(x * step)
        const to = Math.max(from + 1, Math.floor((x + 1) * step))
        let sum = 0
        for (let k = from; k < to; k++) sum += crop.data[row + k * 3 + src]!
        out[base + y * CLS_WIDTH + x] = sum / (to - from) / 127.5 - 1
      }
    }
  }
}

/** Classifies a batch of crops and flips, in place, those read as upside down. Returns which were flipped. */
export async function fixUpsideDown(ctx: ClsContext, crops: readonly LineCrop[]): Promise<boolean[]> {
  if (crops.length === 0) return []
  const data = new Float32Array(crops.length * 3 * CLS_HEIGHT * CLS_WIDTH)
  crops.forEach((crop, i) => writeClsSlot(data, i, crop))
  const inputName = ctx.session.inputNames[0] ?? 'x'
  const outputName = ctx.session.outputNames[0] ?? 'softmax_0.tmp_0'
  const output = (await ctx.session.run({ [inputName]: new ctx.ort.Tensor('float32', data, [crops.length, 3, CLS_HEIGHT, CLS_WIDTH]) }))[outputName]
  if (!output || !(output.data instanceof Float32Array) || output.data.length !== crops.length * 2) {
    throw new ModelError('MODEL_CORRUPT', `The angle classifier returned no [batch, 2] float32 output named ${outputName}; it is not a PaddleOCR 0/180 classifier. Check the cls model path in the engine options.`)
  }
  const probs = output.data
  return crops.map((crop, i) => {
    const upsideDown = probs[i * 2 + 1]! > ctx.threshold
    if (upsideDown) rotate180(crop)
    return upsideDown
  })
}
