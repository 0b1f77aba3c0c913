import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExitCode, MemgateError } from '../../src/common/errors.js'
import {
  ensureCorpus,
  exifRotatedJpeg,
  FONT_SAFE_CHARS,
  formatCents,
  generateCorpus,
  generateDocument,
  isValidCnpj,
  isValidCpf,
  isValidGstin,
  isValidPortugueseNif,
  isValidRfc,
  isValidSpanishCif,
  isValidSpanishNif,
  isValidTaxId,
  isValidUkVat,
  LAYOUTS,
  MARKETS,
  planCorpus,
  readCorpus,
  transparentPng,
  type DocumentSpec,
  type DocumentTruth,
  type GeneratedDocument,
  type Quad,
} from '../../scenarios/fixtures/index.js'
import { runCli } from '../helpers/cli.js'

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'memgate-fixtures-'))
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

const cents = (decimal: string) => Math.round(Number(decimal) * 100)

/** Decoded greyscale pixels, EXIF orientation applied or not. */
async function grey(image: Buffer, autoOrient = true): Promise<{ data: Buffer; width: number; height: number }> {
  const pipeline = autoOrient ? sharp(image).autoOrient() : sharp(image)
  const { data, info } = await pipeline.flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/**
 * Mean ink (255 − grey) inside the boxes' bounding rectangles, and outside them but within the
 * rectangle around all boxes (the text area: paper, not the table a photo lies on).
 */
function inkInsideOutside(img: { data: Buffer; width: number; height: number }, boxes: readonly Quad[]): { inside: number; outside: number } {
  const mask = new Uint8Array(img.width * img.height)
  const all = boxes.flat()
  const clampX = (v: number) => Math.max(0, Math.min(img.width, v))
  const clampY = (v: number) => Math.max(0, Math.min(img.height, v))
  for (const q of boxes) {
    const xs = q.map((p) => p.x)
    const ys = q.map((p) => p.y)
    for (let y = clampY(Math.floor(Math.min(...ys))); y < clampY(Math.ceil(Math.max(...ys))); y++) {
      for (let x = clampX(Math.floor(Math.min(...xs))); x < clampX(Math.ceil(Math.max(...xs))); x++) mask[y * img.width + x] = 1
    }
  }
  let inSum = 0
  let inN = 0
  let outSum = 0
  let outN = 0
  for (let y = clampY(Math.floor(Math.min(...all.map((p) => p.y)))); y < clampY(Math.ceil(Math.max(...all.map((p) => p.y)))); y++) {
    for (let x = clampX(Math.floor(Math.min(...all.map((p) => p.x)))); x < clampX(Math.ceil(Math.max(...all.map((p) => p.x)))); x++) {
      const i = y * img.width + x
      const ink = 255 - img.data[i]!
      if (mask[i]) (inSum += ink), inN++
      else (outSum += ink), outN++
    }
  }
  return { inside: inSum / Math.max(1, inN), outside: outSum / Math.max(1, outN) }
}

/**
 * Contrast inside a box: median grey (paper; text covers well under half a tight box) minus the
 * 5th percentile (ink strokes). High on text, near zero on blank paper, whatever the lighting.
 */
function boxContrast(img: { data: Buffer; width: number; height: number }, q: Quad): number {
  const values: number[] = []
  const x0 = Math.max(0, Math.floor(Math.min(...q.map((p) => p.x))))
  const x1 = Math.min(img.width, Math.ceil(Math.max(...q.map((p) => p.x))))
  const y0 = Math.max(0, Math.floor(Math.min(...q.map((p) => p.y))))
  const y1 = Math.min(img.height, Math.ceil(Math.max(...q.map((p) => p.y))))
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) values.push(img.data[y * img.width + x]!)
  values.sort((a, b) => a - b)
  return (values[Math.floor(values.length / 2)] ?? 0) - (values[Math.floor(values.length * 0.05)] ?? 0)
}

const MONTHS: Record<string, number> = Object.fromEntries(
  [
    'enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre',
    'janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro',
    'january february march april may june july august september october november december',
    'ene feb mar abr may jun jul ago sep oct nov dic',
    'jan fev mar abr mai jun jul ago set out nov dez',
    'jan feb mar apr may jun jul aug sep oct nov dec',
  ].flatMap((names) => names.split(' ').map((n, i) => [n, i + 1] as const)),
)

/** Reads a printed date back to ISO, independently of the generator's formatter. */
function parsePrintedDate(printed: string, usOrder: boolean): string | undefined {
  const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(printed)
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!)
  m = /^(\d{2})([/.-])(\d{2})\2(\d{4}|\d{2})$/.exec(printed)
  if (m) {
    const year = m[4]!.length === 2 ? 2000 + +m[4]! : +m[4]!
    return usOrder && m[2] === '/' ? iso(year, +m[1]!, +m[3]!) : iso(year, +m[3]!, +m[1]!)
  }
  m = /^(\d{1,2}) (?:de )?([a-zç]+|[A-Z]{3})(?: de)? (\d{4})$/i.exec(printed)
  if (m) return iso(+m[3]!, MONTHS[m[2]!.toLowerCase()] ?? 0, +m[1]!)
  m = /^([A-Z][a-z]+) (\d{1,2}), (\d{4})$/.exec(printed)
  if (m) return iso(+m[3]!, MONTHS[m[1]!.toLowerCase()] ?? 0, +m[2]!)
  return undefined
}

/** Every market × kind once, clean, layouts rotating: the content test bed. */
const SWEEP: DocumentSpec[] = Object.values(MARKETS).flatMap((market, i) =>
  (['invoice', 'receipt'] as const).map((kind, k) => ({ seed: 100 + i * 2 + k, lang: market.lang, market: market.code, kind, layout: LAYOUTS[kind][(i + k) % LAYOUTS[kind].length] })),
)

describe('generateDocument determinism', () => {
  const specs: DocumentSpec[] = [
    { seed: 11, lang: 'es', kind: 'receipt', degradations: ['noise', 'jpeg'] },
    { seed: 12, lang: 'pt', kind: 'receipt', degradations: ['photo', 'rotation'] },
    { seed: 13, lang: 'en', kind: 'invoice', degradations: ['blur', 'low-contrast'] },
  ]

  it('gives byte-identical images and identical truth for the same spec, whatever ran in between', async () => {
    const first = await Promise.all(specs.map((s) => generateDocument(s)))
    await generateDocument({ seed: 999, kind: 'receipt', degradations: ['noise'] })
    for (const [i, s] of specs.entries()) {
      const again = await generateDocument(s)
      expect(again.image.equals(first[i]!.image)).toBe(true)
      expect(again.truth).toEqual(first[i]!.truth)
    }
  })

  it('changes the bytes and the text with the seed, and only the pixels with the degradations', async () => {
    const a = await generateDocument({ seed: 21, lang: 'es', kind: 'receipt' })
    const b = await generateDocument({ seed: 22, lang: 'es', kind: 'receipt' })
    const c = await generateDocument({ seed: 21, lang: 'es', kind: 'receipt', degradations: ['noise'] })
    expect(a.image.equals(b.image)).toBe(false)
    expect(a.truth.text).not.toBe(b.truth.text)
    expect(c.image.equals(a.image)).toBe(false)
    expect(c.truth.text).toBe(a.truth.text)
    expect(c.truth.degradations).toEqual([expect.stringMatching(/^noise:\d+$/)])
  })
})

describe('ground truth', () => {
  let docs: GeneratedDocument[]
  beforeAll(async () => {
    docs = []
    for (const s of SWEEP) docs.push(await generateDocument(s))
  })

  it('covers every market and both kinds, in all three languages with their own characters', () => {
    expect(new Set(docs.map((d) => d.truth.market))).toEqual(new Set(Object.keys(MARKETS)))
    const text = (lang: string) => docs.filter((d) => d.truth.lang === lang).map((d) => d.truth.text).join('\n')
    expect(text('es')).toMatch(/[áéíóúñ]/)
    expect(text('es')).toContain('Nº')
    expect(text('pt')).toMatch(/[ãõçâêô]/)
    expect(docs.find((d) => d.truth.kind === 'invoice')!.truth.width).toBe(1240)
    expect(docs.find((d) => d.truth.kind === 'invoice')!.truth.height).toBe(1754)
    expect(docs.find((d) => d.truth.kind === 'receipt')!.truth.width).toBe(576)
  })

  it('builds the page text from the lines: rows in order, runs joined by single spaces', () => {
    for (const { truth } of docs) {
      expect(truth.lines.map((l) => l.text).join(' ')).toBe(truth.text.replace(/\n/g, ' '))
      expect(truth.text).not.toMatch(/ {2}|^ | $|\n\n/m)
      expect(FONT_SAFE_CHARS.test(truth.text.replace(/\n/g, ''))).toBe(true)
    }
  })

  it('prints every field value in the text, and the printed date reads back to the ISO date', () => {
    for (const { truth } of docs) {
      const { fields, printed } = truth
      for (const value of Object.values(printed)) expect(truth.text).toContain(value)
      expect(printed.invoiceNumber).toBe(fields.invoiceNumber)
      expect(printed.taxId).toBe(fields.taxId)
      expect(printed.total).toBe(formatCents(cents(fields.total), MARKETS[truth.market].numberStyle))
      expect(fields.currency).toBe(MARKETS[truth.market].currency)
      expect(parsePrintedDate(printed.date, MARKETS[truth.market].usDateOrder), `${truth.id}: ${printed.date}`).toBe(fields.date)
    }
  })

  it('adds up: items → subtotal, subtotal + taxes → total, cash − change → total', () => {
    for (const { truth } of docs) {
      const a = truth.amounts
      expect(a.items.length).toBeGreaterThan(0)
      for (const item of a.items) {
        const exact = item.quantity * cents(item.unitPrice)
        // Weighed goods round to the cent; counted goods are exact.
        expect(Math.abs(cents(item.amount) - exact)).toBeLessThanOrEqual(Number.isInteger(item.quantity) ? 0 : 0.5)
      }
      expect(a.items.reduce((s, i) => s + cents(i.amount), 0)).toBe(cents(a.subtotal))
      expect(cents(a.subtotal) + a.taxes.reduce((s, t) => s + cents(t.amount), 0)).toBe(cents(a.total))
      expect(a.total).toBe(truth.fields.total)
      for (const t of a.taxes) expect(Math.abs(cents(t.amount) - (cents(a.subtotal) * t.ratePercent) / 100)).toBeLessThanOrEqual(0.5)
      if (a.cash !== undefined) {
        expect(cents(a.cash) - cents(a.change ?? '0')).toBe(cents(a.total))
        expect(cents(a.change ?? '0')).toBeGreaterThan(0)
      }
      const style = MARKETS[truth.market].numberStyle
      for (const amount of [a.subtotal, ...a.taxes.map((t) => t.amount)]) expect(truth.text).toContain(formatCents(cents(amount), style))
    }
  })

  it('carries tax ids with valid check digits', () => {
    for (const { truth } of docs) expect(isValidTaxId(truth.fields.taxIdKind, truth.fields.taxId), `${truth.fields.taxIdKind} ${truth.fields.taxId}`).toBe(true)
  })

  it('puts every box inside the image and on ink (clean pages)', async () => {
    for (const { image, truth } of docs) {
      const img = await grey(image)
      expect([img.width, img.height]).toEqual([truth.width, truth.height])
      for (const line of truth.lines) {
        for (const p of line.box) {
          expect(p.x).toBeGreaterThanOrEqual(0)
          expect(p.y).toBeGreaterThanOrEqual(0)
          expect(p.x).toBeLessThanOrEqual(truth.width)
          expect(p.y).toBeLessThanOrEqual(truth.height)
        }
        const [tl, tr, br, bl] = line.box
        expect(tr.x).toBeGreaterThan(tl.x)
        expect(bl.y).toBeGreaterThan(tl.y)
        expect(br.x).toBeGreaterThan(bl.x)
        expect(boxContrast(img, line.box), `${truth.id}: "${line.text}"`).toBeGreaterThan(60)
      }
    }
  })
})

describe('tax id validators', () => {
  it('accept published examples and reject a changed check digit', () => {
    const valid: [(v: string) => boolean, string, string][] = [
      [isValidCnpj, '11.222.333/0001-81', '11.222.333/0001-82'],
      [isValidCpf, '529.982.247-25', '529.982.247-24'],
      [isValidSpanishNif, '12345678Z', '12345678A'],
      [isValidSpanishCif, 'B58378431', 'B58378432'],
      [isValidPortugueseNif, '501964843', '501964844'],
      [isValidRfc, 'GODE561231GR8', 'GODE561231GR9'],
      [isValidUkVat, 'GB980780684', 'GB980780685'],
      [isValidGstin, '27AAPFU0939F1ZV', '27AAPFU0939F1ZW'],
    ]
    for (const [check, good, bad] of valid) {
      expect(check(good), good).toBe(true)
      expect(check(bad), bad).toBe(false)
    }
    expect(isValidCpf('111.111.111-11')).toBe(false)
  })
})

describe('degraded pages', () => {
  it('keep boxes on the text through rotation and the perspective of a photo', async () => {
    for (const degradations of [['rotation'], ['photo']] as const) {
      const { image, truth, format } = await generateDocument({ seed: 31, lang: 'pt', kind: 'receipt', degradations: [...degradations] })
      expect(format).toBe(degradations[0] === 'photo' ? 'jpeg' : 'png')
      const img = await grey(image)
      expect([img.width, img.height]).toEqual([truth.width, truth.height])
      const contrasts = truth.lines.map((l) => boxContrast(img, l.box))
      expect(Math.min(...contrasts), truth.degradations.join()).toBeGreaterThan(30)
      // The same boxes moved right by their own width mostly land on blank paper: the check can fail.
      const shifted = truth.lines.map((l) => boxContrast(img, l.box.map((p) => ({ x: p.x + (l.box[1].x - l.box[0].x), y: p.y })) as Quad))
      expect(shifted.filter((c) => c < 30).length).toBeGreaterThan(0.6 * truth.lines.length)
      const top = truth.lines[0]!.box
      if (degradations[0] === 'rotation') {
        // A rotated page has slanted boxes: the top edge is no longer horizontal.
        const deg = Number(/rotation:(-?[\d.]+)/.exec(truth.degradations[0]!)![1])
        const slope = (Math.atan2(top[1].y - top[0].y, top[1].x - top[0].x) * 180) / Math.PI
        expect(slope).toBeCloseTo(deg, 1)
      }
    }
  })

  it('label what was applied, with parameters in their documented ranges', async () => {
    const { truth } = await generateDocument({ seed: 32, kind: 'receipt', degradations: ['jpeg', 'blur', 'rotation', 'low-contrast'] })
    const [rotation, contrast, blur, jpeg] = truth.degradations
    expect(Math.abs(Number(rotation!.split(':')[1]))).toBeGreaterThanOrEqual(1)
    expect(Math.abs(Number(rotation!.split(':')[1]))).toBeLessThanOrEqual(3)
    expect(contrast).toMatch(/^low-contrast:\d+-\d+$/)
    expect(Number(blur!.split(':')[1])).toBeGreaterThanOrEqual(0.5)
    expect(Number(blur!.split(':')[1])).toBeLessThanOrEqual(1.2)
    expect(Number(jpeg!.split(':')[1])).toBeGreaterThanOrEqual(30)
    expect(Number(jpeg!.split(':')[1])).toBeLessThanOrEqual(60)
  })
})

describe('special inputs', () => {
  it.each([3, 6, 8] as const)('EXIF orientation %i: stored rotated, upright once the tag is honoured', async (orientation) => {
    const { image, format, truth } = await exifRotatedJpeg(orientation)
    expect(format).toBe('jpeg')
    const meta = await sharp(image).metadata()
    expect(meta.orientation).toBe(orientation)
    const swapped = orientation !== 3
    expect([meta.width, meta.height]).toEqual(swapped ? [truth.height, truth.width] : [truth.width, truth.height])
    expect(meta.autoOrient).toEqual({ width: truth.width, height: truth.height })
    const boxes = truth.lines.map((l) => l.box)
    const upright = inkInsideOutside(await grey(image, true), boxes)
    expect(upright.inside).toBeGreaterThan(4 * upright.outside)
    if (!swapped) {
      // Ignoring the tag leaves the page upside down: the ink is no longer where the boxes say.
      const raw = inkInsideOutside(await grey(image, false), boxes)
      expect(raw.inside).toBeLessThan(2 * raw.outside)
    }
  })

  it.each(['black', 'white'] as const)('transparent PNG with %s text: flat RGB, text only in alpha', async (color) => {
    const { image, format, truth } = await transparentPng(color)
    expect(format).toBe('png')
    const stats = await sharp(image).stats()
    expect(stats.channels).toHaveLength(4)
    const v = color === 'black' ? 0 : 255
    for (const c of stats.channels.slice(0, 3)) expect([c.min, c.max]).toEqual([v, v])
    expect(stats.channels[3]!.min).toBe(0)
    expect(stats.channels[3]!.max).toBeGreaterThan(150)
    // Flattened onto the contrasting colour the text reads, and where the boxes say (white text on
    // black is negated so that ink is dark in both cases).
    let pipeline = sharp(image).flatten({ background: color === 'black' ? '#ffffff' : '#000000' }).greyscale()
    if (color === 'white') pipeline = pipeline.negate()
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
    const { inside, outside } = inkInsideOutside({ data, width: info.width, height: info.height }, truth.lines.map((l) => l.box))
    expect(inside).toBeGreaterThan(4 * outside)
  })
})

describe('spec validation', () => {
  it.each<[DocumentSpec, RegExp]>([
    [{ seed: -1 }, /seed to be an integer/],
    [{ seed: 1.5 }, /seed to be an integer/],
    [{ seed: 1, kind: 'receipt', layout: 'a4-classic' }, /not a receipt layout/],
    [{ seed: 1, lang: 'en', market: 'BR' }, /does not print 'en'/],
    [{ seed: 1, special: { kind: 'transparent-png', color: 'black' }, degradations: ['blur'] }, /cannot also be degraded/],
    [{ seed: 1, id: '../escape' }, /must use only letters/],
  ])('rejects %j', async (spec, message) => {
    const error = await generateDocument(spec).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MemgateError)
    expect((error as MemgateError).code).toBe('CONFIG_INVALID')
    expect((error as MemgateError).message).toMatch(message)
  })
})

describe('corpora', () => {
  it('plan the named corpora with the promised coverage', () => {
    const sample = planCorpus('sample').documents
    expect(sample).toHaveLength(6)
    expect(sample.filter((d) => (d.degradations ?? []).length > 0).length).toBeGreaterThan(0)
    expect(sample.filter((d) => (d.degradations ?? []).length === 0).length).toBeGreaterThan(0)
    for (const lang of ['es', 'pt', 'en']) expect(sample.filter((d) => d.lang === lang)).toHaveLength(2)

    const precision = planCorpus('precision').documents
    expect(precision.length).toBeGreaterThanOrEqual(36)
    const combos = new Set(precision.filter((d) => !d.special).map((d) => `${d.lang}/${d.kind}/${(d.degradations ?? []).length > 0 ? 'degraded' : 'clean'}`))
    expect(combos.size).toBe(12)
    expect(precision.filter((d) => d.special).map((d) => d.special)).toEqual(
      expect.arrayContaining([
        { kind: 'exif-rotated-jpeg', orientation: 3 },
        { kind: 'exif-rotated-jpeg', orientation: 6 },
        { kind: 'exif-rotated-jpeg', orientation: 8 },
        { kind: 'transparent-png', color: 'black' },
        { kind: 'transparent-png', color: 'white' },
      ]),
    )
    const load = planCorpus('load').documents
    expect(load.length).toBeGreaterThanOrEqual(20)
    expect(load.every((d) => d.kind === 'invoice')).toBe(true)
    expect(planCorpus('load', { seed: 2 }).documents[0]!.seed).not.toBe(load[0]!.seed)
  })

  it('are written completely (images, truth, manifest last, no temp files) and reused on the second call', async () => {
    const cacheDir = join(tmp, 'cache')
    const options = { name: 'tiny', documents: [{ seed: 1, kind: 'receipt' as const }, { seed: 2, kind: 'receipt' as const, degradations: ['jpeg' as const] }] }
    const first = await ensureCorpus(options, cacheDir)
    expect(first.dir.startsWith(join(cacheDir, 'tiny-'))).toBe(true)
    const files = (await readdir(first.dir)).sort()
    expect(files).toEqual([...first.documents.flatMap((d) => [d.image, d.truth]), 'manifest.json'].sort())
    expect(first.documents.map((d) => d.image)).toEqual([expect.stringMatching(/\.png$/), expect.stringMatching(/\.jpg$/)])
    const truth = JSON.parse(await readFile(join(first.dir, first.documents[1]!.truth), 'utf8')) as DocumentTruth
    expect(truth.id).toBe(first.documents[1]!.id)
    expect((await sharp(join(first.dir, first.documents[1]!.image)).metadata()).format).toBe('jpeg')

    const before = await stat(join(first.dir, 'manifest.json'))
    const imageBefore = await stat(join(first.dir, first.documents[0]!.image))
    const second = await ensureCorpus(options, cacheDir)
    expect(second).toEqual(first)
    expect((await stat(join(first.dir, 'manifest.json'))).mtimeMs).toBe(before.mtimeMs)
    expect((await stat(join(first.dir, first.documents[0]!.image))).mtimeMs).toBe(imageBefore.mtimeMs)

    // A missing image or a torn manifest means an incomplete corpus: it is regenerated, identically.
    await rm(join(first.dir, first.documents[0]!.image))
    expect(await readCorpus(first.dir)).toBeUndefined()
    await writeFile(join(first.dir, 'manifest.json'), '{"schemaVersion":1,')
    const third = await ensureCorpus(options, cacheDir)
    expect(third).toEqual(first)
    expect(await readFile(join(first.dir, first.documents[0]!.image))).toEqual((await generateDocument(options.documents[0]!)).image)
  })

  it('refuse duplicate ids', async () => {
    const error = await generateCorpus(join(tmp, 'dup'), { name: 'dup', documents: [{ seed: 1, id: 'x' }, { seed: 2, id: 'x' }] }).catch((e: unknown) => e)
    expect((error as MemgateError).code).toBe('CONFIG_INVALID')
    expect((error as MemgateError).message).toContain("Duplicate document id 'x'")
  })
})

describe('memgate fixtures', () => {
  it('writes the corpus to --out and prints one line per document', async () => {
    const out = join(tmp, 'cli')
    const r = await runCli(['fixtures', '--corpus', 'sample', '--count', '2', '--seed', '5', '--out', out])
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(ExitCode.Ok)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toMatch(/^id\s+lang\s+kind\s+degradations$/)
    expect(lines.filter((l) => /^sample-00[12]-/.test(l))).toEqual([expect.stringMatching(/^sample-001-es-invoice\s+es\s+invoice\s+clean$/), expect.stringMatching(/^sample-002-es-receipt\s+es\s+receipt\s+photo, blur:[\d.]+, jpeg:\d+$/)])
    expect(r.stdout).toContain(`2 documents of corpus 'sample' in ${out}`)
    expect((await readCorpus(out))?.documents).toHaveLength(2)
  })

  it('rejects a bad count as a usage error', async () => {
    const r = await runCli(['fixtures', '--count', '0'])
    expect(r.exitCode).toBe(ExitCode.UsageError)
    expect(r.stderr).toContain('Expected --count to be an integer in 1..10000 but received 0.')
  })
})
