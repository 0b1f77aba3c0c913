/**
 * Format sniffing from magic bytes. The decoder trusts only the signature, never a file name or
 * libvips' own guess: sharp would otherwise also open formats we do not vet (its native `.v`
 * format maps files into memory; SVG renders at a size the document declares).
 */

/** Image formats {@link decodeImage} reads. The first six go through sharp; the rest are decoded here. */
export type SupportedFormat = 'png' | 'jpeg' | 'webp' | 'tiff' | 'gif' | 'avif' | 'bmp' | 'pbm' | 'pgm' | 'ppm' | 'pam'

/** Formats sharp decodes for us. */
export const SHARP_FORMATS: ReadonlySet<SupportedFormat> = new Set(['png', 'jpeg', 'webp', 'tiff', 'gif', 'avif'])

/** People-facing list of what is read, for error messages. */
export const SUPPORTED_FORMATS_TEXT = 'PNG, JPEG, WebP, TIFF, GIF (first frame), AVIF, BMP, PBM/PGM/PPM/PAM'

/** What the first bytes of an input say it is. */
export type Sniffed =
  /** A format we decode. */
  | { kind: 'supported'; format: SupportedFormat }
  /** A recognised format we do not decode; `label` names it with its article (`an SVG image`), `why` says what to do. */
  | { kind: 'unsupported'; label: string; why?: string }
  /** Shorter than, but a prefix of, a supported signature: the file was cut off. */
  | { kind: 'truncated'; format: SupportedFormat }
  /** No known signature. */
  | { kind: 'unknown' }

/** Bytes to read from the start of a file for {@link sniffFormat}; ISO-BMFF brand lists and SVG prologues fit. */
export const SNIFF_BYTES = 4096

interface Signature {
  bytes: readonly number[]
  /** Offset of `bytes` in the file. @default 0 */
  at?: number
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0))

/** Fixed signatures of supported formats. PNM and ISO-BMFF need more than a byte match. */
const SUPPORTED_SIGNATURES: ReadonlyArray<[SupportedFormat, Signature[]]> = [
  ['png', [{ bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }]],
  ['jpeg', [{ bytes: [0xff, 0xd8, 0xff] }]],
  ['gif', [{ bytes: ascii('GIF87a') }, { bytes: ascii('GIF89a') }]],
  ['tiff', [{ bytes: [0x49, 0x49, 0x2a, 0x00] }, { bytes: [0x4d, 0x4d, 0x00, 0x2a] }, { bytes: [0x49, 0x49, 0x2b, 0x00] }, { bytes: [0x4d, 0x4d, 0x00, 0x2b] }]],
]

/** Recognised but unsupported formats, with a reason when the reason is not just "no decoder". */
const UNSUPPORTED_SIGNATURES: ReadonlyArray<[string, Signature, string?]> = [
  ['a PDF document', { bytes: ascii('%PDF-') }, 'render the page to PNG first (e.g. `pdftoppm -r 300 -png`)'],
  ['a JPEG 2000 image', { bytes: [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20] }],
  ['a JPEG 2000 codestream', { bytes: [0xff, 0x4f, 0xff, 0x51] }],
  ['a JPEG XL image', { bytes: [0xff, 0x0a] }],
  ['a JPEG XL image', { bytes: [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20] }],
  ['a Photoshop PSD file', { bytes: ascii('8BPS') }],
  ['a Windows icon', { bytes: [0x00, 0x00, 0x01, 0x00] }],
  ['a Windows cursor', { bytes: [0x00, 0x00, 0x02, 0x00] }],
  ['an OpenEXR image', { bytes: [0x76, 0x2f, 0x31, 0x01] }],
  ['a Radiance HDR image', { bytes: ascii('#?RADIANCE') }],
  ['a Radiance HDR image', { bytes: ascii('#?RGBE') }],
  ['a QOI image', { bytes: ascii('qoif') }],
  ['a DirectDraw surface', { bytes: ascii('DDS ') }],
  ['a FITS image', { bytes: ascii('SIMPLE  =') }],
  ['a libvips native image', { bytes: [0x08, 0xf2, 0xa6, 0xb6] }],
  ['a libvips native image', { bytes: [0xb6, 0xa6, 0xf2, 0x08] }],
  ['a portable float map (PFM)', { bytes: ascii('PF') }],
  ['a portable float map (PFM)', { bytes: ascii('Pf') }],
  ['a gzip archive', { bytes: [0x1f, 0x8b] }, 'decompress it first; if it is a compressed SVG, rasterise it to PNG'],
  ['a ZIP archive', { bytes: ascii('PK\x03\x04') }, 'extract the images first'],
  ['a RIFF container that is not WebP', { bytes: ascii('RIFF') }],
]

const SVG_WHY =
  'a vector document can reference external files and declares its own render size, so its decoding cost is not bounded by its bytes; rasterise it to PNG first'

function matches(head: Uint8Array, sig: Signature): boolean {
  const at = sig.at ?? 0
  if (head.length < at + sig.bytes.length) return false
  return sig.bytes.every((b, i) => head[at + i] === b)
}

function isPrefixOf(head: Uint8Array, sig: Signature): boolean {
  return (sig.at ?? 0) === 0 && head.length < sig.bytes.length && head.every((b, i) => sig.bytes[i] === b)
}

const text = (head: Uint8Array, from: number, to: number): string => String.fromCharCode(...head.subarray(from, to))

/** ISO base media (HEIF family): `ftyp` box with a major brand and compatible brands. */
function sniffIsoBmff(head: Uint8Array): Sniffed | undefined {
  if (head.length < 12 || text(head, 4, 8) !== 'ftyp') return undefined
  const boxBytes = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0
  const end = Math.min(head.length, Math.max(16, boxBytes))
  const brands = [text(head, 8, 12)]
  for (let i = 16; i + 4 <= end; i += 4) brands.push(text(head, i, i + 4))
  if (brands.some((b) => b === 'avif' || b === 'avis')) return { kind: 'supported', format: 'avif' }
  if (brands.some((b) => /^(heic|heix|hevc|hevx|heim|heis|hevm|hevs)$/.test(b))) {
    return { kind: 'unsupported', label: 'a HEIC image', why: 'the bundled libvips decodes AV1 (AVIF) but not HEVC; convert it to JPEG or PNG first' }
  }
  return { kind: 'unsupported', label: `an ISO media file (brand '${brands[0]!.trim()}')` }
}

/** Netpbm: `P1`..`P7` then whitespace. */
function sniffNetpbm(head: Uint8Array): Sniffed | undefined {
  if (head.length < 2 || head[0] !== 0x50) return undefined
  const digit = head[1]! - 0x30
  if (digit < 1 || digit > 7) return undefined
  const format: SupportedFormat = digit === 7 ? 'pam' : (['pbm', 'pgm', 'ppm'] as const)[(digit - 1) % 3]!
  if (head.length === 2) return { kind: 'truncated', format }
  return /\s/.test(String.fromCharCode(head[2]!)) ? { kind: 'supported', format } : undefined
}

/** BMP: `BM`, then a DIB header whose size (at offset 14) is one Windows or OS/2 ever wrote. */
function sniffBmp(head: Uint8Array): Sniffed | undefined {
  if (head.length < 2 || head[0] !== 0x42 || head[1] !== 0x4d) return undefined
  if (head.length < 18) return { kind: 'truncated', format: 'bmp' }
  const dib = head[14]! | (head[15]! << 8) | (head[16]! << 16) | (head[17]! << 24)
  return [12, 16, 40, 52, 56, 64, 108, 124].includes(dib) ? { kind: 'supported', format: 'bmp' } : undefined
}

/** SVG or other XML: text that opens with `<?xml`, `<svg` or `<!DOCTYPE svg` after a BOM and whitespace. */
function sniffSvg(head: Uint8Array): Sniffed | undefined {
  const start = text(head, 0, Math.min(head.length, 1024)).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart()
  if (/^<svg[\s>]/i.test(start) || /^<!DOCTYPE svg/i.test(start)) return { kind: 'unsupported', label: 'an SVG image', why: SVG_WHY }
  if (/^<\?xml/i.test(start)) {
    return /<svg[\s>]/i.test(start) ? { kind: 'unsupported', label: 'an SVG image', why: SVG_WHY } : { kind: 'unsupported', label: 'an XML document' }
  }
  return undefined
}

/**
 * Identifies an input from its first bytes (pass at least {@link SNIFF_BYTES}, or the whole input
 * when shorter).
 *
 * @example sniffFormat(readFirstBytes('scan.png')) // { kind: 'supported', format: 'png' }
 */
export function sniffFormat(head: Uint8Array): Sniffed {
  for (const [format, sigs] of SUPPORTED_SIGNATURES) {
    if (sigs.some((s) => matches(head, s))) return { kind: 'supported', format }
  }
  if (matches(head, { bytes: ascii('RIFF') }) && matches(head, { bytes: ascii('WEBP'), at: 8 })) return { kind: 'supported', format: 'webp' }
  const special = sniffIsoBmff(head) ?? sniffNetpbm(head) ?? sniffBmp(head)
  if (special) return special
  for (const [label, sig, why] of UNSUPPORTED_SIGNATURES) {
    if (matches(head, sig)) return why === undefined ? { kind: 'unsupported', label } : { kind: 'unsupported', label, why }
  }
  const svg = sniffSvg(head)
  if (svg) return svg
  for (const [format, sigs] of SUPPORTED_SIGNATURES) {
    if (head.length > 0 && sigs.some((s) => isPrefixOf(head, s))) return { kind: 'truncated', format }
  }
  return { kind: 'unknown' }
}

/** First bytes as hex for error messages, e.g. `3f a2 00 17`. */
export function hexPreview(head: Uint8Array, count = 8): string {
  return [...head.subarray(0, count)].map((b) => b.toString(16).padStart(2, '0')).join(' ')
}

/**
 * Width and height from a PNG's IHDR, which the signature guarantees is the first chunk. Lets the
 * geometry checks run before libvips sees the file at all, and gives a zero-sized PNG (which
 * libpng rejects as invalid) the same `INPUT_TOO_SMALL` as any other empty image.
 */
export function pngHeaderDimensions(head: Uint8Array): { width: number; height: number } | undefined {
  if (head.length < 24 || text(head, 12, 16) !== 'IHDR') return undefined
  const u32 = (at: number): number => ((head[at]! << 24) | (head[at + 1]! << 16) | (head[at + 2]! << 8) | head[at + 3]!) >>> 0
  return { width: u32(16), height: u32(20) }
}
