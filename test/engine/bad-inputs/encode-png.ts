/**
 * A tiny PNG writer for fixtures sharp cannot be asked for directly: true greyscale and grey+alpha,
 * palettes with tRNS, 16-bit samples, and headers that lie (decompression bombs).
 */
import { createDeflate, crc32, deflateSync } from 'node:zlib'

/** PNG colour types: 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
export type PngColourType = 0 | 2 | 3 | 4 | 6

export interface PngSpec {
  width: number
  height: number
  bitDepth: 1 | 2 | 4 | 8 | 16
  colourType: PngColourType
  /** Packed scanlines without filter bytes (16-bit samples big-endian). */
  scanlines: Buffer
  /** RGB triples, for colour type 3. */
  palette?: Buffer
  /** tRNS chunk payload (alpha per palette entry, for colour type 3). */
  transparency?: Buffer
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** One chunk: length, type, data, CRC over type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

function ihdr(width: number, height: number, bitDepth: number, colourType: number): Buffer {
  const data = Buffer.alloc(13)
  data.writeUInt32BE(width, 0)
  data.writeUInt32BE(height, 4)
  data[8] = bitDepth
  data[9] = colourType
  return pngChunk('IHDR', data) // compression, filter, interlace: 0
}

const SAMPLES_PER_PIXEL: Record<PngColourType, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

/** Bytes in one packed scanline (without its filter byte). */
export function pngRowBytes(width: number, bitDepth: number, colourType: PngColourType): number {
  return Math.ceil((width * bitDepth * SAMPLES_PER_PIXEL[colourType]) / 8)
}

/** Encodes a PNG from packed scanlines (filter 0 on every row). */
export function encodePng(spec: PngSpec): Buffer {
  const rowBytes = pngRowBytes(spec.width, spec.bitDepth, spec.colourType)
  if (spec.scanlines.length !== rowBytes * spec.height) throw new Error(`scanlines: expected ${rowBytes * spec.height} bytes, got ${spec.scanlines.length}`)
  const filtered = Buffer.alloc((rowBytes + 1) * spec.height)
  for (let y = 0; y < spec.height; y++) spec.scanlines.copy(filtered, y * (rowBytes + 1) + 1, y * rowBytes, (y + 1) * rowBytes)
  return Buffer.concat([
    SIGNATURE,
    ihdr(spec.width, spec.height, spec.bitDepth, spec.colourType),
    ...(spec.palette ? [pngChunk('PLTE', spec.palette)] : []),
    ...(spec.transparency ? [pngChunk('tRNS', spec.transparency)] : []),
    pngChunk('IDAT', deflateSync(filtered)),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

/**
 * A real decompression bomb: a valid 1-bit greyscale PNG of `side`×`side` white pixels. Its zlib
 * stream is produced row by row, so writing it never holds the inflated image; at 30000 px it is
 * ~110 KB on disk and would inflate to 2.7 GB as 8-bit RGB.
 */
export async function bombPng(side: number): Promise<Buffer> {
  const rowBytes = 1 + Math.ceil(side / 8)
  const rowsPerWrite = 256
  const rows = Buffer.alloc(rowBytes * rowsPerWrite, 0xff)
  for (let r = 0; r < rowsPerWrite; r++) rows[r * rowBytes] = 0 // filter byte
  const deflate = createDeflate({ level: 9 })
  const parts: Buffer[] = []
  deflate.on('data', (chunk: Buffer) => parts.push(chunk))
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve)
    deflate.on('error', reject)
  })
  for (let y = 0; y < side; y += rowsPerWrite) {
    const chunk = rows.subarray(0, Math.min(rowsPerWrite, side - y) * rowBytes)
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve))
  }
  deflate.end()
  await done
  return Buffer.concat([SIGNATURE, ihdr(side, side, 1, 0), pngChunk('IDAT', Buffer.concat(parts)), pngChunk('IEND', Buffer.alloc(0))])
}

/** Packs 8-bit samples into scanlines of `bitDepth` bits (MSB first), for 1/2/4-bit PNGs. */
export function packSamples(samples: Uint8Array, width: number, height: number, bitDepth: 1 | 2 | 4 | 8): Buffer {
  const rowBytes = Math.ceil((width * bitDepth) / 8)
  const out = Buffer.alloc(rowBytes * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * bitDepth
      out[y * rowBytes + (bit >> 3)]! |= samples[y * width + x]! << (8 - bitDepth - (bit & 7))
    }
  }
  return out
}
