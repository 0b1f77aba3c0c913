/**
 * Netpbm decoder: PBM, PGM, PPM (plain P1–P3 and raw P4–P6) and PAM (P7, depth 1–4), 8 or 16 bits
 * per sample. sharp's prebuilt libvips has no PPM loader, and scanners and `pdftoppm` write these.
 * As with BMP, the header is read alone first so the geometry checks run before allocation.
 */
import type { RasterImage } from './decode-alpha.js'
import { corrupt, unsupported } from './decode-errors.js'

/** Netpbm formats, as sniffed. */
export type PnmFormat = 'pbm' | 'pgm' | 'ppm' | 'pam'

/** What a Netpbm header declares. */
export interface PnmHeader {
  format: PnmFormat
  /** Pixels. */
  width: number
  /** Pixels. */
  height: number
  /** Samples per pixel: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  depth: 1 | 2 | 3 | 4
  /** Largest sample value, 1..65535; above 255 samples are 16-bit big-endian. */
  maxval: number
  /** Plain (ASCII digits) or raw (binary) samples. */
  plain: boolean
  /** PBM: one bit per pixel, 1 is black, rows padded to a byte in raw form. */
  bitmap: boolean
  /** Offset of the first sample, bytes. */
  dataOffset: number
}

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c

/** Skips whitespace and `#` comments from `p`; returns the next position. */
function skipFiller(bytes: Buffer, p: number): number {
  while (p < bytes.length) {
    const c = bytes[p]
    if (c === 0x23) while (p < bytes.length && bytes[p] !== 0x0a && bytes[p] !== 0x0d) p++
    else if (isSpace(c)) p++
    else break
  }
  return p
}

function readNumber(bytes: Buffer, start: number, source: string, format: PnmFormat, what: string): { value: number; end: number } {
  const p = skipFiller(bytes, start)
  let end = p
  let value = 0
  while (end < bytes.length && bytes[end]! >= 0x30 && bytes[end]! <= 0x39 && end - p < 10) value = value * 10 + bytes[end++]! - 0x30
  if (end === p || (end < bytes.length && !isSpace(bytes[end]) && bytes[end] !== 0x23)) {
    throw corrupt(source, format, end >= bytes.length ? `header cut off before the ${what}` : `the ${what} is not a number`)
  }
  return { value, end }
}

function readPamHeader(bytes: Buffer, source: string): PnmHeader {
  const fields = new Map<string, string>()
  let p = 3
  for (;;) {
    const eol = bytes.indexOf(0x0a, p)
    if (eol < 0 || eol > 8192) throw corrupt(source, 'pam', 'no ENDHDR line in the first 8 KiB')
    const line = bytes.toString('latin1', p, eol).trim()
    p = eol + 1
    if (line === 'ENDHDR') break
    if (line === '' || line.startsWith('#')) continue
    const [key, ...rest] = line.split(/\s+/)
    fields.set(key!.toUpperCase(), rest.join(' '))
  }
  const int = (key: string): number => {
    const text = fields.get(key)
    if (text === undefined || !/^\d{1,10}$/.test(text)) throw corrupt(source, 'pam', `${key} is ${text === undefined ? 'missing' : `'${text}'`}`)
    return Number(text)
  }
  const depth = int('DEPTH')
  if (depth < 1 || depth > 4) throw unsupported(source, `a PAM image with DEPTH ${depth} (${fields.get('TUPLTYPE') ?? 'no TUPLTYPE'})`, 'convert it to PNG first')
  return { format: 'pam', width: int('WIDTH'), height: int('HEIGHT'), depth: depth as 1 | 2 | 3 | 4, maxval: int('MAXVAL'), plain: false, bitmap: false, dataOffset: p }
}

/**
 * Parses a Netpbm header. Does not touch pixel data.
 * @throws InputError `INPUT_CORRUPT` for malformed headers or a maxval outside 1..65535.
 */
export function readPnmHeader(bytes: Buffer, format: PnmFormat, source: string): PnmHeader {
  const kind = bytes[1]! - 0x30
  if (kind === 7) {
    const header = readPamHeader(bytes, source)
    if (header.maxval < 1 || header.maxval > 65535) throw corrupt(source, format, `maxval ${header.maxval} outside 1..65535`)
    return header
  }
  const bitmap = kind === 1 || kind === 4
  const width = readNumber(bytes, 2, source, format, 'width')
  const height = readNumber(bytes, width.end, source, format, 'height')
  const maxval = bitmap ? { value: 1, end: height.end } : readNumber(bytes, height.end, source, format, 'maxval')
  if (maxval.value < 1 || maxval.value > 65535) throw corrupt(source, format, `maxval ${maxval.value} outside 1..65535`)
  const plain = kind <= 3
  return {
    format,
    width: width.value,
    height: height.value,
    depth: kind === 3 || kind === 6 ? 3 : 1,
    maxval: maxval.value,
    plain,
    bitmap,
    // Raw samples start after exactly one whitespace byte; plain ones after any filler.
    dataOffset: plain ? maxval.end : maxval.end + 1,
  }
}

/** Returns a reader of successive samples, each scaled to 0..255. */
function sampleReader(bytes: Buffer, h: PnmHeader, source: string): () => number {
  let p = h.dataOffset
  const scale = (v: number): number => (h.maxval === 255 ? v : Math.round((Math.min(v, h.maxval) * 255) / h.maxval))
  if (!h.plain) {
    return h.maxval > 255 ? () => scale(bytes[p++]! * 256 + bytes[p++]!) : () => scale(bytes[p++]!)
  }
  return () => {
    p = skipFiller(bytes, p)
    if (p >= bytes.length) throw corrupt(source, h.format, 'pixel data cut off')
    // Plain PBM samples are single digits and may be written without separators.
    if (h.bitmap) return bytes[p++] === 0x31 ? 1 : 0
    const n = readNumber(bytes, p, source, h.format, 'sample')
    p = n.end
    return scale(n.value)
  }
}

/**
 * Decodes the pixels a {@link readPnmHeader} header describes. Call only after the dimensions
 * passed the geometry checks: this allocates width × height × 3 (or 4) bytes.
 * @throws InputError `INPUT_CORRUPT` when the pixel data is cut off or malformed.
 */
export function decodePnm(bytes: Buffer, h: PnmHeader, source: string): RasterImage {
  const { width, height, depth } = h
  const remaining = bytes.length - h.dataOffset
  const samples = width * height * depth
  // Raw sizes are exact; every plain sample takes at least one byte. Both are checked before allocating.
  const needed = h.plain ? samples : h.bitmap ? Math.ceil(width / 8) * height : samples * (h.maxval > 255 ? 2 : 1)
  if (remaining < needed) throw corrupt(source, h.format, `pixel data cut off: ${width}×${height} needs ${needed} bytes of samples, ${Math.max(0, remaining)} remain`)
  const channels = depth === 2 || depth === 4 ? 4 : 3
  const out = Buffer.allocUnsafe(width * height * channels)
  if (h.bitmap && !h.plain) {
    const rowBytes = Math.ceil(width / 8)
    for (let y = 0, o = 0; y < height; y++) {
      for (let x = 0; x < width; x++, o += 3) {
        const bit = (bytes[h.dataOffset + y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1
        out[o] = out[o + 1] = out[o + 2] = bit ? 0 : 255
      }
    }
    return { data: out, width, height, channels: 3 }
  }
  const next = sampleReader(bytes, h, source)
  for (let i = 0, o = 0, pixels = width * height; i < pixels; i++, o += channels) {
    if (h.bitmap) {
      out[o] = out[o + 1] = out[o + 2] = next() ? 0 : 255
    } else if (depth <= 2) {
      out[o] = out[o + 1] = out[o + 2] = next()
      if (depth === 2) out[o + 3] = next()
    } else {
      out[o] = next()
      out[o + 1] = next()
      out[o + 2] = next()
      if (depth === 4) out[o + 3] = next()
    }
  }
  return { data: out, width, height, channels }
}
