/** Pages of known text drawn with the bundled DejaVu Sans, for engine tests that need exact ground truth. */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { createCanvas, GlobalFonts } = require('@napi-rs/canvas') as typeof import('@napi-rs/canvas')
GlobalFonts.registerFromPath(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), 'DejaVu Sans')

export interface PageOptions {
  width: number
  height: number
  fontPx: number
  /** Left edge of every line, px. @default 40 */
  x?: number
  /** Top of each line, px. @default 30 + i × round(1.7 × fontPx) */
  tops?: readonly number[]
  /** Turns the whole page about its centre, degrees. @default 0 */
  angleDeg?: number
  upsideDown?: boolean
  /** @default '#141414' */
  ink?: string
}

/** Renders dark lines on white as a PNG. */
export function renderPage(lines: readonly string[], opts: PageOptions): Buffer {
  const canvas = createCanvas(opts.width, opts.height)
  const g = canvas.getContext('2d')
  g.fillStyle = '#ffffff'
  g.fillRect(0, 0, opts.width, opts.height)
  const turn = (opts.angleDeg ?? 0) + (opts.upsideDown ? 180 : 0)
  g.translate(opts.width / 2, opts.height / 2)
  g.rotate((turn * Math.PI) / 180)
  g.translate(-opts.width / 2, -opts.height / 2)
  g.fillStyle = opts.ink ?? '#141414'
  g.font = `${opts.fontPx}px "DejaVu Sans"`
  g.textBaseline = 'top'
  lines.forEach((line, i) => g.fillText(line, opts.x ?? 40, opts.tops?.[i] ?? 30 + i * Math.round(opts.fontPx * 1.7)))
  return canvas.toBuffer('image/png')
}
