/** A Netpbm writer for fixtures: P1–P6 (8- or 16-bit) and P7 (PAM), with header comments. */
import type { Raster } from './encode-bmp.js'

export type PnmKind = 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | 'P6' | 'P7'

const luma = (r: number, g: number, b: number): number => Math.round(0.299 * r + 0.587 * g + 0.114 * b)

/**
 * Encodes a raster. Greyscale kinds take the luma; bitmaps (P1/P4) threshold it at 128 (1 = black).
 * `maxval` above 255 writes 16-bit samples. P7 writes all of the raster's channels (RGB or RGB_ALPHA).
 */
export function encodePnm(r: Raster, kind: PnmKind, maxval = 255): Buffer {
  const pixels = r.width * r.height
  const at = (i: number, c: number): number => r.data[i * r.channels + c]!
  const grey = (i: number): number => luma(at(i, 0), at(i, 1), at(i, 2))
  const scale = (v: number): number => Math.round((v * maxval) / 255)
  const bitmap = kind === 'P1' || kind === 'P4'
  const samplesOf = (i: number): number[] => {
    if (bitmap) return [grey(i) < 128 ? 1 : 0]
    if (kind === 'P2' || kind === 'P5') return [scale(grey(i))]
    if (kind === 'P7') return Array.from({ length: r.channels }, (_, c) => scale(at(i, c)))
    return [0, 1, 2].map((c) => scale(at(i, c)))
  }
  if (kind === 'P7') {
    const tuple = r.channels === 4 ? 'RGB_ALPHA' : 'RGB'
    const header = `P7\n# written by memgate tests\nWIDTH ${r.width}\nHEIGHT ${r.height}\nDEPTH ${r.channels}\nMAXVAL ${maxval}\nTUPLTYPE ${tuple}\nENDHDR\n`
    return Buffer.concat([Buffer.from(header, 'latin1'), rawSamples(pixels, samplesOf, maxval)])
  }
  const header = `${kind}\n# written by memgate tests\n${r.width} ${r.height}\n${bitmap ? '' : `${maxval}\n`}`
  if (kind === 'P1' || kind === 'P2' || kind === 'P3') {
    const lines: string[] = []
    for (let y = 0; y < r.height; y++) {
      const row: number[] = []
      for (let x = 0; x < r.width; x++) row.push(...samplesOf(y * r.width + x))
      lines.push(row.join(kind === 'P1' ? '' : ' '))
    }
    return Buffer.from(header + lines.join('\n') + '\n', 'latin1')
  }
  if (kind === 'P4') {
    const rowBytes = Math.ceil(r.width / 8)
    const body = Buffer.alloc(rowBytes * r.height)
    for (let y = 0; y < r.height; y++) {
      for (let x = 0; x < r.width; x++) if (samplesOf(y * r.width + x)[0]) body[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7)
    }
    return Buffer.concat([Buffer.from(header, 'latin1'), body])
  }
  return Buffer.concat([Buffer.from(header, 'latin1'), rawSamples(pixels, samplesOf, maxval)])
}

function rawSamples(pixels: number, samplesOf: (i: number) => number[], maxval: number): Buffer {
  const wide = maxval > 255
  const out: number[] = []
  for (let i = 0; i < pixels; i++) for (const s of samplesOf(i)) wide ? out.push(s >> 8, s & 0xff) : out.push(s)
  return Buffer.from(out)
}
