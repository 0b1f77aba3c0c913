import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError, MemgateError, type ErrorCode } from '../../../src/common/errors.js'
import { decodeImage, type DecodedImage, type DecodeLimits } from '../../../src/engine/decode/decode.js'
import { decodeWithSharp, loadSharpFactory } from '../../../src/engine/decode/decode-sharp.js'
import { openSource } from '../../../src/engine/decode/decode-source.js'
import { encodeBmp, type BmpOptions, type Raster } from '../bad-inputs/encode-bmp.js'
import { bombPng, encodePng, packSamples, pngRowBytes } from '../bad-inputs/encode-png.js'
import { jpegClaiming } from '../bad-inputs/generators.js'
import { encodePnm, type PnmKind } from '../bad-inputs/encode-pnm.js'
import { BLUE, centroid, lumaAt, markerRaster, meanLuma, orientPoint, RED, textOnTransparent } from '../bad-inputs/rasters.js'

const LIMITS: DecodeLimits = { maxInputPixels: 40_000_000 }
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memgate-decode-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function file(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, bytes)
  return path
}

/** Decodes, expects an InputError with `code`, and checks it names the input. */
async function refusal(input: string | Uint8Array, code: ErrorCode, limits = LIMITS): Promise<InputError> {
  const error: unknown = await decodeImage(input, limits).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(InputError)
  const inputError = error as InputError
  expect(inputError.code).toBe(code)
  const source = typeof input === 'string' ? input : '<buffer>'
  expect(inputError.source).toBe(source)
  expect(inputError.message).toContain(source)
  return inputError
}

const rgbOf = (r: Raster): Buffer => {
  const out = Buffer.alloc(r.width * r.height * 3)
  for (let i = 0; i < r.width * r.height; i++) r.data.copy(out, i * 3, i * r.channels, i * r.channels + 3)
  return out
}

const rawSharp = (r: Raster) => sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } })

function expectMarkers(image: DecodedImage, tolerance = 60): void {
  const red = centroid(image, RED, tolerance)
  const blue = centroid(image, BLUE, tolerance)
  // Blocks cover the top quarter: red on the left quarter, blue on the right quarter.
  expect(red.y).toBeLessThan(image.height / 4)
  expect(red.x).toBeLessThan(image.width / 4)
  expect(blue.y).toBeLessThan(image.height / 4)
  expect(blue.x).toBeGreaterThan((image.width * 3) / 4)
  expect(lumaAt(image, image.width / 2, image.height - 2)).toBeGreaterThan(230)
}

describe('decodeImage: formats read by sharp', () => {
  const marker = markerRaster(64, 48)
  const encoders = {
    png: (s: Sharp) => s.png(),
    jpeg: (s: Sharp) => s.jpeg({ quality: 95 }),
    webp: (s: Sharp) => s.webp({ quality: 95 }),
    tiff: (s: Sharp) => s.tiff(),
    gif: (s: Sharp) => s.gif(),
    avif: (s: Sharp) => s.avif({ quality: 90 }),
  }
  for (const [format, encode] of Object.entries(encoders)) {
    it(`reads ${format} from a path and from bytes`, async () => {
      const bytes = await encode(rawSharp(marker)).toBuffer()
      for (const input of [await file(`marker.${format}`, bytes), bytes]) {
        const image = await decodeImage(input, LIMITS)
        expect(image).toMatchObject({ format, width: 64, height: 48, channels: 3 })
        expect(image.data.length).toBe(64 * 48 * 3)
        expectMarkers(image)
      }
    })
  }

  it('reads only the first frame of animated GIF and WebP', async () => {
    const frame = markerRaster(32, 24)
    const frames = Buffer.concat([frame.data, Buffer.alloc(frame.data.length, 0)])
    for (const format of ['gif', 'webp'] as const) {
      const bytes = await sharp(frames, { raw: { width: 32, height: 48, channels: 3, pageHeight: 24 } })[format]().toBuffer()
      expect((await sharp(bytes).metadata()).pages).toBe(2)
      const image = await decodeImage(bytes, LIMITS)
      expect([image.width, image.height]).toEqual([32, 24])
      expectMarkers(image)
    }
  })

  for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`applies EXIF orientation ${orientation}: size and where the corners land`, async () => {
      const jpeg = await rawSharp(marker).withMetadata({ orientation }).jpeg({ quality: 95 }).toBuffer()
      const image = await decodeImage(jpeg, LIMITS)
      const swapped = orientation >= 5
      expect([image.width, image.height]).toEqual(swapped ? [48, 64] : [64, 48])
      // Centres of the 16×12 marker blocks in the stored image, moved as the orientation says.
      for (const [colour, sx] of [[RED, 7.5], [BLUE, 64 - 1 - 7.5]] as const) {
        const want = orientPoint(sx, 5.5, 64, 48, orientation)
        const got = centroid(image, colour)
        expect(Math.abs(got.x - want.x)).toBeLessThan(1.5)
        expect(Math.abs(got.y - want.y)).toBeLessThan(1.5)
      }
    })
  }

  it('converts CMYK JPEG and TIFF to sRGB colours, not raw ink values', async () => {
    const stripes: Raster = { data: Buffer.alloc(48 * 16 * 3), width: 48, height: 16, channels: 3 }
    for (let i = 0; i < 48 * 16; i++) stripes.data.set(i % 48 < 16 ? [220, 20, 30] : i % 48 < 32 ? [255, 255, 255] : [0, 0, 0], i * 3)
    for (const format of ['jpeg', 'tiff'] as const) {
      const cmyk = await rawSharp(stripes).toColourspace('cmyk')[format]().toBuffer()
      expect((await sharp(cmyk).metadata()).space).toBe('cmyk')
      const image = await decodeImage(cmyk, LIMITS)
      const px = (x: number) => [...image.data.subarray((8 * 48 + x) * 3, (8 * 48 + x) * 3 + 3)]
      const [red, white, black] = [px(8), px(24), px(40)]
      expect(red[0]).toBeGreaterThan(190)
      expect(Math.max(red[1]!, red[2]!)).toBeLessThan(70)
      expect(Math.min(...white)).toBeGreaterThan(235)
      expect(Math.max(...black)).toBeLessThan(60)
    }
  })

  it('reads 16-bit RGB and greyscale PNGs as their 8-bit values', async () => {
    const rgb16 = Buffer.alloc(pngRowBytes(8, 16, 2) * 8)
    for (let i = 0; i < 64; i++) [0x8080, 0x4040, 0xffff].forEach((v, c) => rgb16.writeUInt16BE(v, i * 6 + c * 2))
    const grey16 = Buffer.alloc(pngRowBytes(8, 16, 0) * 8)
    for (let i = 0; i < 64; i++) grey16.writeUInt16BE(0x2020, i * 2)
    const rgb = await decodeImage(encodePng({ width: 8, height: 8, bitDepth: 16, colourType: 2, scanlines: rgb16 }), LIMITS)
    expect([...rgb.data.subarray(0, 3)]).toEqual([0x80, 0x40, 0xff])
    const grey = await decodeImage(encodePng({ width: 8, height: 8, bitDepth: 16, colourType: 0, scanlines: grey16 }), LIMITS)
    expect([...grey.data.subarray(0, 3)]).toEqual([0x20, 0x20, 0x20])
  })

  it('expands 1-bit and 8-bit greyscale and palette PNGs to RGB', async () => {
    const bits = new Uint8Array(64).map((_, i) => (i % 8 < 4 ? 0 : 1))
    const oneBit = await decodeImage(encodePng({ width: 8, height: 8, bitDepth: 1, colourType: 0, scanlines: packSamples(bits, 8, 8, 1) }), LIMITS)
    expect([...oneBit.data.subarray(0, 3)]).toEqual([0, 0, 0])
    expect([...oneBit.data.subarray(7 * 3, 8 * 3)]).toEqual([255, 255, 255])
    const grey = await decodeImage(encodePng({ width: 8, height: 8, bitDepth: 8, colourType: 0, scanlines: Buffer.alloc(64, 77) }), LIMITS)
    expect(grey.data.equals(Buffer.alloc(64 * 3, 77))).toBe(true)
    const palette = Buffer.from([10, 20, 30, 200, 100, 50])
    const indices = new Uint8Array(64).map((_, i) => i % 2)
    const pal = await decodeImage(encodePng({ width: 8, height: 8, bitDepth: 8, colourType: 3, scanlines: Buffer.from(indices), palette }), LIMITS)
    expect([...pal.data.subarray(0, 6)]).toEqual([10, 20, 30, 200, 100, 50])
  })
})

describe('decodeImage: BMP and Netpbm (decoded in JavaScript)', () => {
  const marker = markerRaster(30, 20)
  // Marker blocks in black: a 1-bit palette holds two colours.
  const twoColour: Raster = { ...marker, data: Buffer.from(marker.data.map((_, i, d) => (d[i - (i % 3)] === 255 && d[i - (i % 3) + 2] === 255 ? 255 : 0))) }
  const bmpCases: Array<[string, Raster, BmpOptions]> = [
    ['1-bit palette', twoColour, { bitsPerPixel: 1 }],
    ['4-bit palette', marker, { bitsPerPixel: 4 }],
    ['8-bit palette', marker, { bitsPerPixel: 8 }],
    ['8-bit RLE8', marker, { bitsPerPixel: 8, rle8: true }],
    ['OS/2 core header', marker, { bitsPerPixel: 8, coreHeader: true }],
    ['16-bit 5-5-5', marker, { bitsPerPixel: 16 }],
    ['24-bit bottom-up', marker, { bitsPerPixel: 24 }],
    ['24-bit top-down', marker, { bitsPerPixel: 24, topDown: true }],
    ['32-bit with alpha mask, opaque', markerRaster(30, 20, 4), { bitsPerPixel: 32 }],
  ]
  for (const [name, raster, options] of bmpCases) {
    it(`reads BMP ${name} pixel-exactly`, async () => {
      const image = await decodeImage(encodeBmp(raster, options), LIMITS)
      expect(image).toMatchObject({ format: 'bmp', width: 30, height: 20 })
      expect(image.data.equals(rgbOf(raster))).toBe(true)
    })
  }

  const grey = (r: Raster) => Buffer.from(rgbOf(r).map((_, i, a) => Math.round(0.299 * a[i - (i % 3)]! + 0.587 * a[i - (i % 3) + 1]! + 0.114 * a[i - (i % 3) + 2]!)))
  const pnmCases: Array<[PnmKind, number, string, (r: Raster) => Buffer]> = [
    ['P1', 255, 'pbm', (r) => Buffer.from(grey(r).map((v) => (v < 128 ? 0 : 255)))],
    ['P4', 255, 'pbm', (r) => Buffer.from(grey(r).map((v) => (v < 128 ? 0 : 255)))],
    ['P2', 255, 'pgm', grey],
    ['P5', 65535, 'pgm', grey],
    ['P3', 255, 'ppm', rgbOf],
    ['P6', 255, 'ppm', rgbOf],
    ['P6', 65535, 'ppm', rgbOf],
    ['P7', 255, 'pam', rgbOf],
  ]
  for (const [kind, maxval, format, expected] of pnmCases) {
    it(`reads ${kind} (maxval ${maxval}) as ${format}`, async () => {
      const image = await decodeImage(await file(`m-${kind}-${maxval}.${format}`, encodePnm(marker, kind, maxval)), LIMITS)
      expect(image).toMatchObject({ format, width: 30, height: 20 })
      expect(image.data.equals(expected(marker))).toBe(true)
    })
  }
})

describe('decodeImage: alpha keeps text dark on light', () => {
  const cases: Array<[string, string, { card?: boolean; gradientTo?: string }]> = [
    ['black text on transparency', '#000', {}],
    ['white text on transparency', '#fff', {}],
    ['dark two-tone text on transparency', '#000', { gradientTo: '#235' }],
    ['light two-tone text on transparency', '#fff', { gradientTo: '#8cf' }],
    ['flat grey text (shape only in alpha)', '#808080', {}],
    ['text knocked out of an opaque white card', '#fff', { card: true }],
    ['text knocked out of an opaque black card', '#000', { card: true }],
  ]
  for (const [name, fill, options] of cases) {
    it(name, async () => {
      const text = await textOnTransparent(fill, options)
      const image = await decodeImage(text.png, LIMITS)
      expect(meanLuma(image, text.ink, 1)).toBeLessThan(80)
      expect(meanLuma(image, text.ink, 0)).toBeGreaterThan(200)
    })
  }

  it('grey+alpha PNGs, black or white ink', async () => {
    const text = await textOnTransparent('#000')
    const alpha = (await sharp(text.png).extractChannel(3).raw().toBuffer()) as Buffer
    for (const ink of [0, 255]) {
      const scanlines = Buffer.alloc(text.width * text.height * 2)
      for (let i = 0; i < alpha.length; i++) scanlines.set([ink, alpha[i]!], i * 2)
      const image = await decodeImage(encodePng({ width: text.width, height: text.height, bitDepth: 8, colourType: 4, scanlines }), LIMITS)
      expect(meanLuma(image, text.ink, 1)).toBeLessThan(80)
      expect(meanLuma(image, text.ink, 0)).toBeGreaterThan(200)
    }
  })

  it('a large image (judged on a sample grid) with light strokes on transparency', async () => {
    const [width, height] = [1500, 1000] // 1.5 MP: above the 1 MP examined exactly
    const rgba = Buffer.alloc(width * height * 4)
    const ink = new Uint8Array(width * height)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // 3-px strokes in a 7-px lattice, well off the sampling grid's 2-px period.
        if (x % 7 < 3 && y % 50 < 30) {
          rgba.set([250, 250, 240, 255], (y * width + x) * 4)
          ink[y * width + x] = 1
        }
      }
    }
    const image = await decodeImage(await sharp(rgba, { raw: { width, height, channels: 4 } }).png().toBuffer(), LIMITS)
    expect(meanLuma(image, ink, 1)).toBeLessThan(20)
    expect(meanLuma(image, ink, 0)).toBeGreaterThan(235)
  })

  it('a page with transparent margins stays a white page with dark text', async () => {
    const page = markerRaster(40, 40, 4)
    for (let y = 0; y < 40; y++) for (let x = 0; x < 40; x++) if (x < 4 || x >= 36) page.data[(y * 40 + x) * 4 + 3] = 0
    for (let x = 10; x < 30; x++) page.data.set([0, 0, 0, 255], (20 * 40 + x) * 4) // a line of "text"
    const image = await decodeImage(await rawSharp(page).png().toBuffer(), LIMITS)
    expect(lumaAt(image, 20, 20)).toBeLessThan(10)
    expect(lumaAt(image, 20, 35)).toBeGreaterThan(245)
    expect(lumaAt(image, 1, 35)).toBeGreaterThan(245)
    // The red block (10×10 at the top-left, 4 columns of it in the margin) keeps its colour: no inversion.
    expect(centroid(image, RED, 10).count).toBe(6 * 10)
  })
})

describe('decodeImage: refusals are typed, name the input and say what to do', () => {
  it('missing file, directory, empty file, empty buffer, character device', async () => {
    await refusal(join(dir, 'nope.png'), 'INPUT_NOT_FOUND')
    await mkdir(join(dir, 'folder.png'), { recursive: true })
    await refusal(join(dir, 'folder.png'), 'INPUT_IS_DIRECTORY')
    await refusal(await file('empty.png', ''), 'INPUT_EMPTY')
    await refusal(new Uint8Array(0), 'INPUT_EMPTY')
    expect((await refusal('/dev/null', 'INPUT_INVALID')).message).toMatch(/character device/)
  })

  it('a symbolic link loop is said to be one, not a permissions problem', async () => {
    await symlink(join(dir, 'loop-b.png'), join(dir, 'loop-a.png'))
    await symlink(join(dir, 'loop-a.png'), join(dir, 'loop-b.png'))
    const error = await refusal(join(dir, 'loop-a.png'), 'INPUT_INVALID')
    expect(error.message).toMatch(/symbolic link loop/)
    expect(error.message).not.toMatch(/permissions/)
  })

  it('random bytes and text are an unsupported format, listing what is supported', async () => {
    const random = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919 + 3) % 256))
    random[0] = 3
    const error = await refusal(await file('random.bin', random), 'INPUT_UNSUPPORTED_FORMAT')
    expect(error.message).toMatch(/matches no known image format.*Supported formats: PNG, JPEG/)
    await refusal(Buffer.from('just some text\n'), 'INPUT_UNSUPPORTED_FORMAT')
  })

  it('SVG, PDF and HEIC are recognised and refused by name', async () => {
    const svg = await refusal(await file('x.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'), 'INPUT_UNSUPPORTED_FORMAT')
    expect(svg.message).toMatch(/an SVG image.*rasterise it to PNG/)
    expect((await refusal(Buffer.from('%PDF-1.7\n'), 'INPUT_UNSUPPORTED_FORMAT')).message).toMatch(/PDF document/)
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic')])
    expect((await refusal(heic, 'INPUT_UNSUPPORTED_FORMAT')).message).toMatch(/HEIC/)
  })

  it('truncated PNG, JPEG, BMP and PPM files are corrupt, with the decoder detail as cause', async () => {
    const noise = Buffer.from(Array.from({ length: 48 * 48 * 3 }, (_, i) => (i * 2654435761) >>> 24))
    const raw = sharp(noise, { raw: { width: 48, height: 48, channels: 3 } })
    for (const [name, bytes] of [
      ['cut.png', await raw.clone().png().toBuffer()],
      ['cut.jpg', await raw.clone().jpeg().toBuffer()],
      ['cut.bmp', encodeBmp(markerRaster(48, 48), { bitsPerPixel: 24 })],
      ['cut.ppm', encodePnm(markerRaster(48, 48), 'P6')],
    ] as const) {
      const error = await refusal(await file(name, bytes.subarray(0, Math.floor(bytes.length * 0.6))), 'INPUT_CORRUPT')
      expect(error.message).toMatch(/truncated or damaged/)
      if (name === 'cut.png' || name === 'cut.jpg') expect(error.cause).toBeInstanceOf(Error)
    }
    await refusal(Buffer.from([0x89, 0x50, 0x4e]), 'INPUT_CORRUPT')
  })

  it('too small: zero-sized and tiny images, with the 8 px boundary', async () => {
    const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#fff' } }).png().toBuffer()
    expect((await refusal(await file('one.png', await png(1, 1)), 'INPUT_TOO_SMALL')).message).toMatch(/1×1 px.*at least 8 px/)
    await refusal(await png(7, 100), 'INPUT_TOO_SMALL')
    await expect(decodeImage(await png(8, 100), LIMITS)).resolves.toMatchObject({ width: 8, height: 100 })
    await refusal(encodePng({ width: 0, height: 0, bitDepth: 8, colourType: 0, scanlines: Buffer.alloc(0) }), 'INPUT_TOO_SMALL')
    const zeroBmp = encodeBmp(markerRaster(16, 16), { bitsPerPixel: 24 })
    zeroBmp.writeInt32LE(0, 18)
    await refusal(zeroBmp, 'INPUT_TOO_SMALL')
  })

  it('aspect ratio: 50:1 is read, 51:1 is refused', async () => {
    const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#fff' } }).png().toBuffer()
    await expect(decodeImage(await png(400, 8), LIMITS)).resolves.toMatchObject({ width: 400 })
    const error = await refusal(await file('strip.png', await png(10, 510)), 'INPUT_BAD_ASPECT')
    expect(error.message).toMatch(/10×510 px, an aspect ratio of 51:1/)
  })

  it('maxInputPixels is enforced from the header, at the exact boundary', async () => {
    const png = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#fff' } }).png().toBuffer()
    await expect(decodeImage(png, { maxInputPixels: 10_000 })).resolves.toMatchObject({ width: 100 })
    const error = await refusal(png, 'INPUT_TOO_LARGE', { maxInputPixels: 9_999 })
    expect(error.message).toMatch(/100×100 px.*maxInputPixels = 9999/)
    const hugeBmp = encodeBmp(markerRaster(16, 16), { bitsPerPixel: 24 })
    hugeBmp.writeInt32LE(50_000, 18)
    hugeBmp.writeInt32LE(-50_000, 22)
    await refusal(hugeBmp, 'INPUT_TOO_LARGE')
  })

  it('a 30000×30000 PNG bomb and a JPEG claiming 60000×60000 are refused from their headers', async () => {
    const bomb = await file('bomb.png', await bombPng(30_000))
    const jpeg = await jpegClaiming(60_000)
    global.gc?.()
    const before = process.memoryUsage().rss
    const error = await refusal(bomb, 'INPUT_TOO_LARGE')
    expect(error.message).toMatch(/30000×30000 px \(900\.0 MP\), over the limit of 40\.0 MP/)
    expect((await refusal(jpeg, 'INPUT_TOO_LARGE')).message).toMatch(/60000×60000 px/)
    // Decoding either would take gigabytes; refusing them must not even take tens of megabytes.
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024)
  })

  it("libvips' own pixel limit is a second guard behind the header check", async () => {
    const png = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#fff' } }).png().toBuffer()
    const lyingHeader = { width: 10, height: 10, hasAlpha: false }
    const error = await decodeWithSharp(await loadSharpFactory(), await openSource(png), 'png', lyingHeader, 1_000).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect(error).toMatchObject({ code: 'INPUT_TOO_LARGE', source: '<buffer>' })
    expect(String((error as Error).cause)).toMatch(/pixel limit/)
  })

  it('rejects invalid limits and non-image arguments', async () => {
    await expect(decodeImage(Buffer.from('x'), { maxInputPixels: Number.NaN })).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
    const error = await decodeImage(42 as unknown as string, LIMITS).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MemgateError)
    expect(error).toMatchObject({ code: 'INPUT_INVALID' })
  })
})
