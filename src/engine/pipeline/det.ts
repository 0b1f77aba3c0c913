/**
 * Text detection: resize the page for the detector, run PP-OCRv4 det tile by tile into one
 * probability map, and turn it into quadrilaterals in source-image pixels.
 */
import { ModelError } from '../../common/errors.js'
import { boxesFromProbMap, type DbParams } from './db-postprocess.js'
import { detectionSize, detTileTensor, planTiles, stitchTile } from './det-input.js'
import { orderQuad, quadSize, rectCorners } from './geometry.js'
import type { SharpFactory } from '../decode/decode-sharp.js'
import type { OrtModule } from '../model/native.js'
import type { Quad } from '../types.js'

/** An 8-bit RGB interleaved image in memory. */
export interface RgbImage {
  data: Uint8Array
  width: number
  height: number
}

/** Detection settings: DB thresholds plus input size and tiling. */
export interface DetectParams extends DbParams {
  /** Long side of the detector input, pixels (PaddleOCR's `det_limit_side_len`, type `max`). */
  maxSidePx: number
  /** Largest tile side fed to the network, pixels, multiple of 32. */
  tileSidePx: number
  /** Overlap between neighbouring tiles, pixels, multiple of 32. */
  tileOverlapPx: number
}

/** A detected text box in source-image pixels. */
export interface DetectedBox {
  /** Clockwise from top-left, unrounded. */
  quad: Quad
  /** Mean detector probability inside the box, 0..1. */
  score: number
}

/** What detection needs from the engine. */
export interface DetectContext {
  ort: OrtModule
  sharp: SharpFactory
  session: import('onnxruntime-node').InferenceSession
}

async function resizeRgb(sharp: SharpFactory, image: RgbImage, width: number, height: number): Promise<Uint8Array> {
  if (width === image.width && height === image.height) return image.data
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return data
}

/** Runs the detector over `image` and returns text boxes in reading-order-agnostic scan order. */
export async function detectText(ctx: DetectContext, image: RgbImage, params: DetectParams): Promise<DetectedBox[]> {
  const size = detectionSize(image.width, image.height, params.maxSidePx)
  let rgb: Uint8Array | undefined = await resizeRgb(ctx.sharp, image, size.width, size.height)
  const map = new Float32Array(size.width * size.height)
  const inputName = ctx.session.inputNames[0] ?? 'x'
  const outputName = ctx.session.outputNames[0] ?? 'sigmoid_0.tmp_0'
  // One input buffer for the page's tiles (they are all one size but at the edges): a new 2.6 MiB
  // buffer per tile is garbage V8 collects only once external memory has grown by tens of MiB.
  let tileInput: Float32Array | undefined
  for (const tile of planTiles(size, params.tileSidePx, params.tileOverlapPx)) {
    tileInput = detTileTensor(rgb, size.width, tile, tileInput)
    const input = new ctx.ort.Tensor('float32', tileInput, [1, 3, tile.height, tile.width])
    const output = await ctx.session.run({ [inputName]: input })
    const prob = output[outputName]
    if (!prob || !(prob.data instanceof Float32Array) || prob.data.length !== tile.width * tile.height) {
      throw new ModelError(
        'MODEL_CORRUPT',
        `The detection model returned no 1×1×${tile.height}×${tile.width} float32 map named ${outputName}; it is not a PP-OCR DB detector. Check the det model path in the engine options.`,
      )
    }
    stitchTile(map, size.width, prob.data, tile)
  }
  rgb = undefined // the resized copy is not needed for post-processing
  const sx = image.width / size.width
  const sy = image.height / size.height
  const clampX = (x: number) => Math.min(Math.max(x * sx, 0), image.width - 1)
  const clampY = (y: number) => Math.min(Math.max(y * sy, 0), image.height - 1)
  const boxes: DetectedBox[] = []
  for (const { rect, score } of boxesFromProbMap({ data: map, width: size.width, height: size.height }, params)) {
    const quad = orderQuad(rectCorners(rect).map((p) => ({ x: clampX(p.x), y: clampY(p.y) })))
    const { width, height } = quadSize(quad)
    // PaddleOCR's filter_tag_det_res: boxes squeezed to a sliver by clipping are noise.
    if (width <= 3 || height <= 3) continue
    boxes.push({ quad, score })
  }
  return boxes
}
