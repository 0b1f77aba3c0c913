/**
 * Bad-input generators: every kind of input the decoder must refuse, each with the error code it
 * must produce. Deterministic from a seed; files go under a directory the caller owns and removes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import sharp from 'sharp'
import type { ErrorCode } from '../../../src/common/errors.js'
import { encodeBmp } from './encode-bmp.js'
import { encodePnm } from './encode-pnm.js'
import { bombPng } from './encode-png.js'
import { markerRaster } from './rasters.js'

/** The error code each kind must produce, and whether it can be given as bytes (or only as a path). */
export const BAD_KINDS = {
  'missing-file': { code: 'INPUT_NOT_FOUND', bytes: false },
  directory: { code: 'INPUT_IS_DIRECTORY', bytes: false },
  'empty-file': { code: 'INPUT_EMPTY', bytes: false },
  'empty-buffer': { code: 'INPUT_EMPTY', bytes: true },
  'random-bytes': { code: 'INPUT_UNSUPPORTED_FORMAT', bytes: true },
  'text-file': { code: 'INPUT_UNSUPPORTED_FORMAT', bytes: true },
  svg: { code: 'INPUT_UNSUPPORTED_FORMAT', bytes: true },
  pdf: { code: 'INPUT_UNSUPPORTED_FORMAT', bytes: true },
  heic: { code: 'INPUT_UNSUPPORTED_FORMAT', bytes: true },
  'gzip-svg': { code: 'INPUT_UNSUPPORTED_FORMAT', bytes: true },
  'truncated-png': { code: 'INPUT_CORRUPT', bytes: true },
  'truncated-jpeg': { code: 'INPUT_CORRUPT', bytes: true },
  'truncated-webp': { code: 'INPUT_CORRUPT', bytes: true },
  'truncated-bmp': { code: 'INPUT_CORRUPT', bytes: true },
  'truncated-ppm': { code: 'INPUT_CORRUPT', bytes: true },
  'png-signature-only': { code: 'INPUT_CORRUPT', bytes: true },
  'tiny-png': { code: 'INPUT_TOO_SMALL', bytes: true },
  'zero-width-bmp': { code: 'INPUT_TOO_SMALL', bytes: true },
  'thin-strip': { code: 'INPUT_BAD_ASPECT', bytes: true },
  'png-bomb': { code: 'INPUT_TOO_LARGE', bytes: true },
  'jpeg-huge-header': { code: 'INPUT_TOO_LARGE', bytes: true },
  'bmp-huge-header': { code: 'INPUT_TOO_LARGE', bytes: true },
} as const satisfies Record<string, { code: ErrorCode; bytes: boolean }>

export type BadKind = keyof typeof BAD_KINDS

/** One bad input and what it must produce. */
export interface BadInput {
  kind: BadKind
  input: string | Buffer
  code: ErrorCode
  /** The `source` the error must carry: the path, or `<buffer>`. */
  source: string
}

/** Deterministic 32-bit PRNG (mulberry32), so every run sees the same inputs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function noise(random: () => number, length: number): Buffer {
  const out = Buffer.alloc(length)
  for (let i = 0; i < length; i++) out[i] = Math.floor(random() * 256)
  return out
}

/** Encodes a small noisy image (noise so that compressed data is long enough to cut anywhere). */
async function noisy(random: () => number, format: 'png' | 'jpeg' | 'webp'): Promise<Buffer> {
  const side = 32 + Math.floor(random() * 32)
  return sharp(noise(random, side * side * 3), { raw: { width: side, height: side, channels: 3 } })[format]().toBuffer()
}

/** Cuts `bytes` somewhere between 30% and 95% of its length. */
const cut = (bytes: Buffer, random: () => number): Buffer => bytes.subarray(0, Math.floor(bytes.length * (0.3 + random() * 0.65)))

/** A JPEG whose SOF0 header claims `side`×`side` pixels (the scan data is for 16×16). */
export async function jpegClaiming(side: number): Promise<Buffer> {
  const jpeg = Buffer.from(await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } }).jpeg().toBuffer())
  for (let i = 2; i + 9 < jpeg.length; ) {
    if (jpeg[i] !== 0xff) break
    const marker = jpeg[i + 1]!
    if (marker >= 0xc0 && marker <= 0xc2) {
      jpeg.writeUInt16BE(side, i + 5) // height
      jpeg.writeUInt16BE(side, i + 7) // width
      return jpeg
    }
    i += 2 + jpeg.readUInt16BE(i + 2)
  }
  throw new Error('no SOF marker in the generated JPEG')
}

/**
 * Makes bad inputs of every kind in turn (`count` in all), each varied by the seeded PRNG, as a
 * path or as bytes. Expensive pieces (the 30000×30000 bomb) are made once and shared.
 */
export async function generateBadInputs(count: number, dir: string, seed = 1): Promise<BadInput[]> {
  const random = seededRandom(seed)
  await mkdir(join(dir, 'a-directory'), { recursive: true })
  const bomb = await bombPng(30000)
  const hugeJpeg = await jpegClaiming(60000)
  const kinds = Object.keys(BAD_KINDS) as BadKind[]
  const out: BadInput[] = []
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!
    const spec = BAD_KINDS[kind]
    const path = join(dir, `${String(i).padStart(4, '0')}-${kind}`)
    if (!spec.bytes) {
      if (kind === 'empty-file') await writeFile(path, '')
      const input = kind === 'directory' ? join(dir, 'a-directory') : path
      out.push({ kind, input, code: spec.code, source: input })
      continue
    }
    const bytes = await makeBytes(kind, random, bomb, hugeJpeg)
    // Half as files (sharp reads the path), half as buffers; empty buffers stay buffers.
    if (kind !== 'empty-buffer' && random() < 0.5) {
      await writeFile(path, bytes)
      out.push({ kind, input: path, code: spec.code, source: path })
    } else {
      out.push({ kind, input: bytes, code: spec.code, source: '<buffer>' })
    }
  }
  return out
}

async function makeBytes(kind: BadKind, random: () => number, bomb: Buffer, hugeJpeg: Buffer): Promise<Buffer> {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
  const pick = <T>(options: readonly [T, ...T[]]): T => options[int(0, options.length - 1)] ?? options[0]
  switch (kind) {
    case 'empty-buffer':
      return Buffer.alloc(0)
    case 'random-bytes': {
      const bytes = noise(random, int(1, 4096))
      // No image signature starts with 0x01..0x07, so the expectation cannot collide by chance.
      bytes[0] = int(1, 7)
      return bytes
    }
    case 'text-file':
      return Buffer.from(`invoice ${int(1, 1e6)}\ntotal: ${int(1, 9999)}.00 EUR\n`)
    case 'svg':
      return Buffer.from(`<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${int(10, 100000)}" height="100"><text>hi</text></svg>`)
    case 'pdf':
      return Buffer.from(`%PDF-1.${int(3, 7)}\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n`)
    case 'heic': {
      const box = Buffer.alloc(24)
      box.writeUInt32BE(24, 0)
      box.write('ftypheic', 4, 'latin1')
      box.write('mif1heic', 16, 'latin1')
      return box
    }
    case 'gzip-svg':
      return gzipSync(`<svg xmlns="http://www.w3.org/2000/svg" width="${int(10, 999)}" height="10"/>`)
    case 'truncated-png':
      return cut(await noisy(random, 'png'), random)
    case 'truncated-jpeg':
      return cut(await noisy(random, 'jpeg'), random)
    case 'truncated-webp':
      return cut(await noisy(random, 'webp'), random)
    case 'truncated-bmp':
      return cut(encodeBmp(markerRaster(int(16, 64), int(16, 64)), { bitsPerPixel: pick([8, 24, 32] as const) }), random)
    case 'truncated-ppm':
      return cut(encodePnm(markerRaster(int(16, 64), int(16, 64)), pick(['P5', 'P6', 'P7'] as const)), random)
    case 'png-signature-only':
      return Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].slice(0, int(1, 7)))
    case 'tiny-png':
      return sharp({ create: { width: int(1, 7), height: int(1, 7), channels: 3, background: '#fff' } }).png().toBuffer()
    case 'zero-width-bmp': {
      const bmp = encodeBmp(markerRaster(16, 16), { bitsPerPixel: 24 })
      bmp.writeInt32LE(0, 18)
      return bmp
    }
    case 'thin-strip': {
      const short = int(8, 12)
      return sharp({ create: { width: short * int(51, 120), height: short, channels: 3, background: '#fff' } }).png().toBuffer()
    }
    case 'png-bomb':
      return bomb
    case 'jpeg-huge-header':
      return hugeJpeg
    case 'bmp-huge-header': {
      const bmp = encodeBmp(markerRaster(16, 16), { bitsPerPixel: 24 })
      bmp.writeInt32LE(int(20000, 60000), 18)
      bmp.writeInt32LE(int(20000, 60000), 22)
      return bmp
    }
    case 'missing-file':
    case 'directory':
    case 'empty-file':
      throw new Error(`${kind} is a path-only kind`)
  }
}

interface ManifestEntry {
  kind: BadKind
  code: ErrorCode
  source: string
  /** The input path (path inputs), or the file holding the bytes (byte inputs). */
  path: string
  asBytes: boolean
}

/**
 * Writes a manifest of `inputs` (byte inputs saved to files beside it) so another process can
 * replay exactly the same inputs without generating them: generation churns the allocator, and
 * memory freed before a measurement can hide growth during it.
 * @returns The manifest's path.
 */
export async function saveBadInputs(inputs: BadInput[], dir: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  const entries: ManifestEntry[] = []
  for (const [i, b] of inputs.entries()) {
    if (typeof b.input === 'string') {
      entries.push({ kind: b.kind, code: b.code, source: b.source, path: b.input, asBytes: false })
    } else {
      const path = join(dir, `${String(i).padStart(4, '0')}.bytes`)
      await writeFile(path, b.input)
      entries.push({ kind: b.kind, code: b.code, source: b.source, path, asBytes: true })
    }
  }
  const manifest = join(dir, 'manifest.json')
  await writeFile(manifest, JSON.stringify(entries))
  return manifest
}

/** Reads a manifest written by {@link saveBadInputs}, loading byte inputs into memory. */
export async function loadBadInputs(manifest: string): Promise<BadInput[]> {
  const entries = JSON.parse(await readFile(manifest, 'utf8')) as ManifestEntry[]
  return Promise.all(entries.map(async (e) => ({ kind: e.kind, code: e.code, source: e.source, input: e.asBytes ? await readFile(e.path) : e.path })))
}
