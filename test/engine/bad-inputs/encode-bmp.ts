/**
 * A BMP writer for fixtures: the variants the decoder claims to read (palette 1/4/8-bit, RLE8,
 * 16-bit 5-5-5, 24-bit, 32-bit with an alpha bit-field mask, bottom-up and top-down) written from
 * an RGB(A) raster, plus the OS/2 core header.
 */

export interface Raster {
  data: Buffer
  width: number
  height: number
  channels: 3 | 4
}

export interface BmpOptions {
  bitsPerPixel: 1 | 4 | 8 | 16 | 24 | 32
  /** Store rows top first (negative height). @default false */
  topDown?: boolean
  /** RLE8-compress an 8-bit image. @default false */
  rle8?: boolean
  /** Write the 12-byte OS/2 core header instead of a V5 header (palette or 24-bit only). @default false */
  coreHeader?: boolean
}

function paletteOf(r: Raster, max: number): { colours: number[]; indices: Uint8Array } {
  const lookup = new Map<number, number>()
  const indices = new Uint8Array(r.width * r.height)
  for (let i = 0; i < indices.length; i++) {
    const o = i * r.channels
    const key = (r.data[o]! << 16) | (r.data[o + 1]! << 8) | r.data[o + 2]!
    let index = lookup.get(key)
    if (index === undefined) {
      if (lookup.size >= max) throw new Error(`more than ${max} colours`)
      index = lookup.size
      lookup.set(key, index)
    }
    indices[i] = index
  }
  return { colours: [...lookup.keys()], indices }
}

function rle8Rows(indices: Uint8Array, width: number, height: number): Buffer {
  const out: number[] = []
  for (let y = height - 1; y >= 0; y--) {
    for (let x = 0; x < width; ) {
      const value = indices[y * width + x]!
      let run = 1
      while (x + run < width && run < 255 && indices[y * width + x + run] === value) run++
      out.push(run, value)
      x += run
    }
    out.push(0, y === 0 ? 1 : 0) // end of line, or end of bitmap after the top row
  }
  return Buffer.from(out)
}

/** Encodes a raster as BMP. */
export function encodeBmp(r: Raster, options: BmpOptions): Buffer {
  const bpp = options.bitsPerPixel
  const core = options.coreHeader ?? false
  const dibSize = core ? 12 : 124
  const palette = bpp <= 8 ? paletteOf(r, 2 ** bpp) : undefined
  const entryBytes = core ? 3 : 4
  const tableBytes = palette ? palette.colours.length * entryBytes : 0
  const stride = Math.ceil((bpp * r.width) / 32) * 4
  const rle = options.rle8 === true && bpp === 8
  const pixels = rle ? rle8Rows(palette!.indices, r.width, r.height) : Buffer.alloc(stride * r.height)
  if (!rle) {
    for (let y = 0; y < r.height; y++) {
      const row = (options.topDown ? y : r.height - 1 - y) * stride
      for (let x = 0; x < r.width; x++) {
        const i = y * r.width + x
        const o = i * r.channels
        const [red, green, blue] = [r.data[o]!, r.data[o + 1]!, r.data[o + 2]!]
        if (palette) {
          const bit = x * bpp
          pixels[row + (bit >> 3)]! |= palette.indices[i]! << (8 - bpp - (bit & 7))
        } else if (bpp === 16) {
          pixels.writeUInt16LE(((red >> 3) << 10) | ((green >> 3) << 5) | (blue >> 3), row + x * 2)
        } else if (bpp === 24) {
          pixels[row + x * 3] = blue
          pixels[row + x * 3 + 1] = green
          pixels[row + x * 3 + 2] = red
        } else {
          const alpha = r.channels === 4 ? r.data[o + 3]! : 255
          pixels.writeUInt32LE(((alpha << 24) | (red << 16) | (green << 8) | blue) >>> 0, row + x * 4)
        }
      }
    }
  }
  const dataOffset = 14 + dibSize + tableBytes
  const file = Buffer.alloc(dataOffset + pixels.length)
  file.write('BM', 0, 'latin1')
  file.writeUInt32LE(file.length, 2)
  file.writeUInt32LE(dataOffset, 10)
  file.writeUInt32LE(dibSize, 14)
  if (core) {
    file.writeUInt16LE(r.width, 18)
    file.writeUInt16LE(r.height, 20)
    file.writeUInt16LE(1, 22)
    file.writeUInt16LE(bpp, 24)
  } else {
    file.writeInt32LE(r.width, 18)
    file.writeInt32LE(options.topDown ? -r.height : r.height, 22)
    file.writeUInt16LE(1, 26)
    file.writeUInt16LE(bpp, 28)
    file.writeUInt32LE(rle ? 1 : bpp === 32 ? 3 : 0, 30)
    file.writeUInt32LE(pixels.length, 34)
    file.writeUInt32LE(palette ? palette.colours.length : 0, 46)
    if (bpp === 32) {
      file.writeUInt32LE(0x00ff0000, 54)
      file.writeUInt32LE(0x0000ff00, 58)
      file.writeUInt32LE(0x000000ff, 62)
      file.writeUInt32LE(0xff000000, 66)
    }
  }
  palette?.colours.forEach((rgb, i) => {
    const at = 14 + dibSize + i * entryBytes
    file[at] = rgb & 0xff
    file[at + 1] = (rgb >> 8) & 0xff
    file[at + 2] = rgb >> 16
  })
  pixels.copy(file, dataOffset)
  return file
}
