/**
 * BMP decoder (sharp's libvips build has no BMP loader). Reads Windows BMP headers (core, info,
 * V2–V5) with 1/4/8-bit palettes, 16/24/32-bit pixels, bit-field masks and RLE4/RLE8. The header
 * is parsed alone first so the caller can refuse a bomb before any pixel buffer is allocated, and
 * every read is bounds-checked so a damaged file is an error, never garbage or a crash.
 */
import type { RasterImage } from './decode-alpha.js'
import { corrupt, unsupported } from './decode-errors.js'

/** What a BMP header declares. */
export interface BmpHeader {
  /** Pixels. */
  width: number
  /** Pixels (the absolute value of the stored height). */
  height: number
  /** Rows stored top first (negative stored height) rather than bottom first. */
  topDown: boolean
  bitsPerPixel: number
  compression: 'none' | 'rle8' | 'rle4' | 'bitfields'
  /** Offset of the pixel data in the file, bytes. */
  dataOffset: number
  /** 256 RGB triples (unused entries black); set for 1/4/8-bit images. */
  palette?: Uint8Array
  /** Channel masks for 16/32-bit pixels; `a` is 0 when there is no alpha. */
  masks?: { r: number; g: number; b: number; a: number }
}

const INFO_HEADER_SIZES = [40, 52, 56, 108, 124]

function paletteFrom(bytes: Buffer, offset: number, count: number, entryBytes: number, source: string): Uint8Array {
  if (offset + count * entryBytes > bytes.length) throw corrupt(source, 'bmp', `colour table of ${count} entries runs past the end of the file`)
  const palette = new Uint8Array(256 * 3)
  for (let i = 0; i < count; i++) {
    const at = offset + i * entryBytes
    palette[i * 3] = bytes[at + 2]!
    palette[i * 3 + 1] = bytes[at + 1]!
    palette[i * 3 + 2] = bytes[at]!
  }
  return palette
}

/**
 * Parses the file and DIB headers and the colour table. Does not touch pixel data.
 * @throws InputError `INPUT_CORRUPT` for impossible fields, `INPUT_UNSUPPORTED_FORMAT` for OS/2 2.x
 *   headers and embedded JPEG/PNG.
 */
export function readBmpHeader(bytes: Buffer, source: string): BmpHeader {
  if (bytes.length < 26) throw corrupt(source, 'bmp', `header cut off after ${bytes.length} bytes`)
  const dibSize = bytes.readUInt32LE(14)
  const dataOffset = bytes.readUInt32LE(10)
  let width: number
  let storedHeight: number
  let bitsPerPixel: number
  let compressionCode = 0
  let colourCount = 0
  if (dibSize === 12) {
    width = bytes.readUInt16LE(18)
    storedHeight = bytes.readUInt16LE(20)
    if (bytes.readUInt16LE(22) !== 1) throw corrupt(source, 'bmp', 'colour planes is not 1')
    bitsPerPixel = bytes.readUInt16LE(24)
  } else if (INFO_HEADER_SIZES.includes(dibSize)) {
    if (bytes.length < 14 + 40) throw corrupt(source, 'bmp', `header cut off after ${bytes.length} bytes`)
    width = bytes.readInt32LE(18)
    storedHeight = bytes.readInt32LE(22)
    if (bytes.readUInt16LE(26) !== 1) throw corrupt(source, 'bmp', 'colour planes is not 1')
    bitsPerPixel = bytes.readUInt16LE(28)
    compressionCode = bytes.readUInt32LE(30)
    colourCount = bytes.readUInt32LE(46)
  } else {
    throw unsupported(source, 'an OS/2 2.x BMP', 'convert it to PNG first')
  }
  if (width < 0) throw corrupt(source, 'bmp', `negative width ${width}`)
  const header: BmpHeader = {
    width,
    height: Math.abs(storedHeight),
    topDown: storedHeight < 0,
    bitsPerPixel,
    compression: 'none',
    dataOffset,
  }
  switch (compressionCode) {
    case 0:
      if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) throw corrupt(source, 'bmp', `${bitsPerPixel} bits per pixel`)
      if (bitsPerPixel === 16) header.masks = { r: 0x7c00, g: 0x03e0, b: 0x001f, a: 0 }
      // The 4th byte of a plain 32-bit BMP is padding by the spec, not alpha.
      if (bitsPerPixel === 32) header.masks = { r: 0xff0000, g: 0xff00, b: 0xff, a: 0 }
      break
    case 1:
    case 2:
      header.compression = compressionCode === 1 ? 'rle8' : 'rle4'
      if (bitsPerPixel !== (compressionCode === 1 ? 8 : 4)) throw corrupt(source, 'bmp', `${header.compression} with ${bitsPerPixel} bits per pixel`)
      break
    case 3:
    case 6: {
      if (bitsPerPixel !== 16 && bitsPerPixel !== 32) throw corrupt(source, 'bmp', `bit-field masks with ${bitsPerPixel} bits per pixel`)
      const hasAlphaMask = compressionCode === 6 || dibSize >= 56
      if (bytes.length < (hasAlphaMask ? 70 : 66)) throw corrupt(source, 'bmp', 'bit-field masks cut off')
      header.compression = 'bitfields'
      header.masks = { r: bytes.readUInt32LE(54), g: bytes.readUInt32LE(58), b: bytes.readUInt32LE(62), a: hasAlphaMask ? bytes.readUInt32LE(66) : 0 }
      break
    }
    case 4:
    case 5:
      throw unsupported(source, `a BMP wrapping a ${compressionCode === 4 ? 'JPEG' : 'PNG'}`, 'convert it to PNG first')
    default:
      throw corrupt(source, 'bmp', `unknown compression ${compressionCode}`)
  }
  if (bitsPerPixel <= 8) {
    const entryBytes = dibSize === 12 ? 3 : 4
    // The table follows the DIB header directly (bit-field masks never come with a palette) and
    // ends where the pixels start: writers often store fewer entries than the bit depth allows.
    const tableStart = 14 + dibSize
    const room = Math.floor((Math.min(dataOffset, bytes.length) - tableStart) / entryBytes)
    const count = Math.min(colourCount || 2 ** bitsPerPixel, 2 ** bitsPerPixel, Math.max(room, 0))
    if (count === 0) throw corrupt(source, 'bmp', `no colour table for a ${bitsPerPixel}-bit image`)
    header.palette = paletteFrom(bytes, tableStart, count, entryBytes, source)
  }
  if (dataOffset < 26 || dataOffset >= bytes.length) {
    throw corrupt(source, 'bmp', `pixel data offset ${dataOffset} lies outside the ${bytes.length}-byte file`)
  }
  return header
}

/** Extracts one mask-selected channel of a pixel word, scaled to 0..255. */
function channelReader(mask: number): (word: number) => number {
  if (mask === 0) return () => 0
  let shift = 0
  while (((mask >>> shift) & 1) === 0) shift++
  const max = mask >>> shift
  return max === 255 ? (word) => (word & mask) >>> shift : (word) => Math.round((((word & mask) >>> shift) * 255) / max)
}

function decodeUncompressed(bytes: Buffer, h: BmpHeader, source: string): RasterImage {
  const { width, height, bitsPerPixel: bpp } = h
  const stride = Math.ceil((bpp * width) / 32) * 4
  const needed = h.dataOffset + stride * (height - 1) + Math.ceil((bpp * width) / 8)
  if (bytes.length < needed) throw corrupt(source, 'bmp', `pixel data cut off: ${width}×${height} at ${bpp} bits needs ${needed} bytes, the file has ${bytes.length}`)
  const channels = h.masks && h.masks.a !== 0 ? 4 : 3
  const out = Buffer.allocUnsafe(width * height * channels)
  const [r, g, b, a] = h.masks ? [h.masks.r, h.masks.g, h.masks.b, h.masks.a].map(channelReader) : []
  let alphaSeen = 0
  for (let y = 0; y < height; y++) {
    const row = h.dataOffset + (h.topDown ? y : height - 1 - y) * stride
    let o = y * width * channels
    for (let x = 0; x < width; x++, o += channels) {
      if (bpp <= 8) {
        const bit = x * bpp
        const index = (bytes[row + (bit >> 3)]! >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1)
        out[o] = h.palette![index * 3]!
        out[o + 1] = h.palette![index * 3 + 1]!
        out[o + 2] = h.palette![index * 3 + 2]!
      } else if (bpp === 24) {
        const at = row + x * 3
        out[o] = bytes[at + 2]!
        out[o + 1] = bytes[at + 1]!
        out[o + 2] = bytes[at]!
      } else {
        const word = bpp === 16 ? bytes.readUInt16LE(row + x * 2) : bytes.readUInt32LE(row + x * 4)
        out[o] = r!(word)
        out[o + 1] = g!(word)
        out[o + 2] = b!(word)
        if (channels === 4) alphaSeen |= out[o + 3] = a!(word)
      }
    }
  }
  // Many writers declare an alpha mask and leave it all zero; such an image is opaque, not invisible.
  if (channels === 4 && alphaSeen === 0) for (let o = 3; o < out.length; o += 4) out[o] = 255
  return { data: out, width, height, channels }
}

function decodeRle(bytes: Buffer, h: BmpHeader, source: string): RasterImage {
  const { width, height } = h
  const four = h.compression === 'rle4'
  const indices = new Uint8Array(width * height)
  const put = (x: number, y: number, index: number): void => {
    if (x < width && y < height) indices[(h.topDown ? y : height - 1 - y) * width + x] = index
  }
  const cutOff = () => corrupt(source, 'bmp', `${h.compression.toUpperCase()} data ends before its end-of-bitmap marker`)
  let p = h.dataOffset
  let x = 0
  let y = 0
  for (;;) {
    if (p + 1 >= bytes.length) throw cutOff()
    const count = bytes[p]!
    const value = bytes[p + 1]!
    p += 2
    if (count > 0) {
      for (let k = 0; k < count; k++) put(x++, y, four ? (k & 1 ? value & 15 : value >> 4) : value)
    } else if (value === 0) {
      x = 0
      y++
    } else if (value === 1) {
      break
    } else if (value === 2) {
      if (p + 1 >= bytes.length) throw cutOff()
      x += bytes[p]!
      y += bytes[p + 1]!
      p += 2
    } else {
      const run = four ? Math.ceil(value / 2) : value
      if (p + run > bytes.length) throw cutOff()
      for (let k = 0; k < value; k++) put(x++, y, four ? (k & 1 ? bytes[p + (k >> 1)]! & 15 : bytes[p + (k >> 1)]! >> 4) : bytes[p + k]!)
      p += run + (run & 1) // absolute runs are padded to 16 bits
    }
  }
  const out = Buffer.allocUnsafe(width * height * 3)
  for (let i = 0, o = 0; i < indices.length; i++, o += 3) {
    out[o] = h.palette![indices[i]! * 3]!
    out[o + 1] = h.palette![indices[i]! * 3 + 1]!
    out[o + 2] = h.palette![indices[i]! * 3 + 2]!
  }
  return { data: out, width, height, channels: 3 }
}

/**
 * Decodes the pixels a {@link readBmpHeader} header describes. Call only after the dimensions
 * passed the geometry checks: this allocates width × height × 3 (or 4) bytes.
 * @throws InputError `INPUT_CORRUPT` when the pixel data is cut off.
 */
export function decodeBmp(bytes: Buffer, header: BmpHeader, source: string): RasterImage {
  return header.compression === 'rle8' || header.compression === 'rle4' ? decodeRle(bytes, header, source) : decodeUncompressed(bytes, header, source)
}
