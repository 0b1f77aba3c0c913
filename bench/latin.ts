/**
 * Latin restoration on the precision corpus: character error rate with and without
 * `restoreLatin`, recall of the characters PP-OCRv4 lacks, restoration time per page, and the
 * lexicons' load time and memory. Prints figures; asserts nothing.
 *
 *   npx tsx bench/latin.ts [--reuse] [--alternatives] [--limit N]
 *
 * --reuse         reuse recognitions cached by an earlier run (.cache/latin-bench/<corpus>/),
 *                 so only the restoration is re-measured; without it every page is recognised.
 * --alternatives  also measure the designs not chosen: nspell loading dictionary-es/-pt, and a
 *                 tesseract.js (spa+por) second recogniser on the flagged lines of es/pt pages.
 * --limit N       only the first N documents of each language.
 * --verbose       list every row that still differs from the truth.
 *
 * Alternatives: nspell is loaded in a child process per language (Portuguese takes minutes and
 * gigabytes); tesseract.js reads the spa+por LSTM models (4.0.0_best_int from @tesseract.js-data,
 * local files, no cache written) on the flagged lines of es/pt pages, a line being flagged when a
 * character was read below 0.9, and its text replaces the line's.
 *
 * Last run (precision corpus, 6 pages per group, shared 2-core machine under load):
 *   CER before → after: es clean 2.53% → 0.65%, es degraded 3.31% → 1.39%, pt clean 3.04% →
 *   0.81%, pt degraded 5.77% → 3.95%, en unchanged (0.63%, 3.49%); missing-character recall
 *   0% → 73–90%; restoration 2–5 ms per page; lexicons es 0.9 MB / pt 4.7 MB, load 15–50 ms.
 *   nspell: es 1.6–6 s and +51 MB heap (+83 MB RSS) to load; pt not loaded after 15 minutes at
 *   1.3 GB. tesseract.js on flagged lines (463 of 924): +108 MB RSS, +1.5 s per page; mean es/pt
 *   CER 1.58% alone, 0.78% followed by the lexicon, against 1.70% for the lexicon alone.
 *
 * The engine runs with the `lean` profile; pages are read from the `precision` corpus (clean and
 * degraded es/pt/en invoices and receipts; the special EXIF/alpha inputs are skipped).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import Tesseract from 'tesseract.js'
import { characterErrorRate, LEAN_PROFILE } from '../src/index.js'
import { loadLexicon, openEngine, restoreLatin, unloadLexicons, type RecognizedLine } from '../src/engine/index.js'
import { ensureCorpus, projectRoot, type CorpusEntry, type DocumentTruth } from '../scenarios/fixtures/index.js'

/** The characters PP-OCRv4's alphabet lacks, whose recall is reported. */
const MISSING = [...'ñçãõâêôÑÇÃÕÂÊÔ€ºª¿¡']

const args = process.argv.slice(2)
const reuse = args.includes('--reuse')
const alternatives = args.includes('--alternatives')
const verbose = args.includes('--verbose')
const limitAt = args.indexOf('--limit')
const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : Infinity

const require = createRequire(import.meta.url)

/** What the bench keeps of a recognition. */
interface Recognition {
  id: string
  ms: number
  lines: Pick<RecognizedLine, 'text' | 'confidence' | 'row' | 'chars' | 'quad'>[]
}

/** Page text as the engine builds it: same-row lines joined by a space, rows by newlines. */
function pageText(lines: readonly { text: string; row: number }[]): string {
  const rows: string[] = []
  let current = -1
  for (const l of lines) {
    if (l.row === current) rows[rows.length - 1] += ` ${l.text.trim()}`
    else rows.push(l.text.trim())
    current = l.row
  }
  return rows.join('\n')
}

/** Multiset recall of the missing characters: how many of the truth's the text has. */
function missingRecall(truth: string, text: string): { expected: number; found: number } {
  let expected = 0
  let found = 0
  for (const ch of MISSING) {
    const t = truth.split(ch).length - 1
    const h = text.split(ch).length - 1
    expected += t
    found += Math.min(t, h)
  }
  return { expected, found }
}

async function recognitions(docs: readonly CorpusEntry[], dir: string, cacheDir: string): Promise<Recognition[]> {
  mkdirSync(cacheDir, { recursive: true })
  const out: Recognition[] = []
  let engine: Awaited<ReturnType<typeof openEngine>> | undefined
  try {
    for (const d of docs) {
      const cached = join(cacheDir, `${d.id}.json`)
      if (reuse && existsSync(cached)) {
        out.push(JSON.parse(readFileSync(cached, 'utf8')) as Recognition)
        continue
      }
      engine ??= await openEngine({ profile: LEAN_PROFILE })
      const started = performance.now()
      const r = await engine.recognizeDetailed(join(dir, d.image))
      const rec: Recognition = { id: d.id, ms: performance.now() - started, lines: r.details.map(({ text, confidence, row, chars, quad }) => ({ text, confidence, row, chars, quad })) }
      writeFileSync(cached, JSON.stringify(rec))
      out.push(rec)
      process.stderr.write(`recognised ${d.id} in ${rec.ms.toFixed(0)} ms\n`)
    }
  } finally {
    await engine?.close()
  }
  return out
}

/** Load time and memory of each lexicon, measured before anything else is loaded. */
function lexiconCosts(): void {
  const gc = (globalThis as { gc?: () => void }).gc
  for (const lang of ['es', 'pt'] as const) {
    unloadLexicons()
    gc?.()
    const before = process.memoryUsage()
    const started = performance.now()
    const lex = loadLexicon(lang)
    const ms = performance.now() - started
    gc?.()
    const after = process.memoryUsage()
    const mb = (n: number) => (n / 1e6).toFixed(1)
    console.log(`lexicon ${lang}: ${lex.size} entries, ${mb(lex.byteLength)} MB decompressed, load ${ms.toFixed(0)} ms, heap +${mb(after.heapUsed - before.heapUsed)} MB, external +${mb(after.external + after.arrayBuffers - before.external - before.arrayBuffers)} MB, rss +${mb(after.rss - before.rss)} MB${gc ? '' : ' (run with --expose-gc for steadier figures)'}`)
  }
}

async function main(): Promise<void> {
  lexiconCosts()
  const corpus = await ensureCorpus('precision')
  const perLang = new Map<string, number>()
  const docs = corpus.documents.filter((d) => {
    if (/exif|alpha/.test(d.id)) return false
    const n = perLang.get(d.lang) ?? 0
    perLang.set(d.lang, n + 1)
    return n < limit
  })
  const recs = await recognitions(docs, corpus.dir, join(projectRoot(), '.cache', 'latin-bench', corpus.optionsHash))

  const groups = new Map<string, { n: number; before: number; after: number; expected: number; foundBefore: number; foundAfter: number; restoreMs: number[]; ocrMs: number[]; changes: number }>()
  const examples: string[] = []
  for (const [i, d] of docs.entries()) {
    const rec = recs[i]!
    const truth = JSON.parse(readFileSync(join(corpus.dir, d.truth), 'utf8')) as DocumentTruth
    const started = performance.now()
    const restored = restoreLatin(rec.lines)
    const restoreMs = performance.now() - started
    const before = pageText(rec.lines)
    const after = pageText(restored.lines.map((l, k) => ({ text: l.text, row: rec.lines[k]!.row })))
    const key = `${d.lang} ${d.degradations.length === 0 ? 'clean' : 'degraded'}`
    const g = groups.get(key) ?? { n: 0, before: 0, after: 0, expected: 0, foundBefore: 0, foundAfter: 0, restoreMs: [], ocrMs: [], changes: 0 }
    const rb = missingRecall(truth.text, before)
    const ra = missingRecall(truth.text, after)
    Object.assign(g, { n: g.n + 1, before: g.before + characterErrorRate(truth.text, before), after: g.after + characterErrorRate(truth.text, after), expected: g.expected + rb.expected, foundBefore: g.foundBefore + rb.found, foundAfter: g.foundAfter + ra.found, changes: g.changes + restored.changes })
    g.restoreMs.push(restoreMs)
    g.ocrMs.push(rec.ms)
    groups.set(key, g)
    if (restored.lang !== d.lang) examples.push(`${d.id}: detected ${restored.lang}, truth ${d.lang}`)
    // Lines still wrong after restoration, for the reader to see what is left.
    const truthRows = truth.text.split('\n')
    for (const row of after.split('\n')) if (!truthRows.includes(row) && MISSING.some((c) => truthRows.join('\n').includes(c))) examples.push(`${d.id}: ${JSON.stringify(row)}`)
  }

  console.log('\ngroup          pages  CER before  CER after  missing-char recall before → after  changes  restore ms/page (median, first incl. load)  OCR s/page')
  for (const [key, g] of [...groups].sort()) {
    const sorted = [...g.restoreMs].sort((a, b) => a - b)
    const recall = (n: number) => (g.expected === 0 ? 'n/a' : `${((100 * n) / g.expected).toFixed(0)}%`)
    console.log(
      `${key.padEnd(14)} ${String(g.n).padStart(5)}  ${((100 * g.before) / g.n).toFixed(2).padStart(9)}%  ${((100 * g.after) / g.n).toFixed(2).padStart(8)}%  ${`${recall(g.foundBefore)} → ${recall(g.foundAfter)} of ${g.expected}`.padStart(36)}  ${String(g.changes).padStart(7)}  ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2).padStart(8)} (${g.restoreMs[0]!.toFixed(0)})  ${(g.ocrMs.reduce((a, b) => a + b, 0) / g.n / 1000).toFixed(1).padStart(8)}`,
    )
  }
  const shown = verbose ? examples : examples.slice(0, 40)
  console.log(`\n${examples.length} rows still differing from the truth on pages with missing characters${verbose ? '' : ' (first 40; --verbose for all)'}:`)
  for (const e of shown) console.log(`  ${e}`)

  if (alternatives) await measureAlternatives(docs, recs, corpus.dir)
}

/** A line with a character read below this probability is sent to Tesseract. @default 0.9 */
const FLAG_PROB = 0.9

function nspellCost(lang: 'es' | 'pt'): string {
  const dir = join(projectRoot(), 'node_modules', `dictionary-${lang}`)
  const script = `
    const nspell = require('nspell'); const fs = require('fs');
    global.gc(); const m0 = process.memoryUsage(); const t0 = performance.now();
    const s = nspell({ aff: fs.readFileSync(${JSON.stringify(join(dir, 'index.aff'))}), dic: fs.readFileSync(${JSON.stringify(join(dir, 'index.dic'))}) });
    const t1 = performance.now(); global.gc(); const m1 = process.memoryUsage();
    const t2 = performance.now(); const sugg = s.suggest('informacao'); const t3 = performance.now();
    console.log('load ' + (t1 - t0).toFixed(0) + ' ms, heap +' + ((m1.heapUsed - m0.heapUsed) / 1e6).toFixed(0) + ' MB, rss +' + ((m1.rss - m0.rss) / 1e6).toFixed(0) + ' MB; suggest("informacao") ' + (t3 - t2).toFixed(0) + ' ms → ' + JSON.stringify(sugg.slice(0, 3)));`
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=16000', '-e', script], { cwd: projectRoot(), encoding: 'utf8', timeout: 120_000 })
  return r.status === 0 ? r.stdout.trim() : `failed (${r.signal ?? r.status}): ${r.stderr.split('\n')[0]}`
}

async function tesseractOnFlaggedLines(docs: readonly CorpusEntry[], recs: readonly Recognition[], dir: string): Promise<void> {
  // One folder holding both languages' files, as langPath wants.
  const langPath = mkdtempSync(join(tmpdir(), 'memgate-tess-'))
  for (const lang of ['spa', 'por']) symlinkSync(join(dirname(require.resolve(`@tesseract.js-data/${lang}`)), '4.0.0_best_int', `${lang}.traineddata.gz`), join(langPath, `${lang}.traineddata.gz`))
  const rss0 = process.memoryUsage().rss
  const started = performance.now()
  const worker = await Tesseract.createWorker(['spa', 'por'], 1, { langPath, cacheMethod: 'none', gzip: true })
  // One text line per crop, at print resolution (the crops carry no DPI).
  await worker.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.SINGLE_LINE, user_defined_dpi: '300' })
  const startMs = performance.now() - started
  const rssStarted = process.memoryUsage().rss
  let flagged = 0
  let total = 0
  let lineMs = 0
  let peakRss = rssStarted
  const cer = { lexicon: 0, tesseract: 0, both: 0, n: 0 }
  try {
    for (const [i, d] of docs.entries()) {
      if (d.lang === 'en') continue
      const rec = recs[i]!
      const truth = JSON.parse(readFileSync(join(dir, d.truth), 'utf8')) as DocumentTruth
      const { data: pixels, info } = await sharp(join(dir, d.image)).rotate().raw().toBuffer({ resolveWithObject: true })
      const raw = { width: info.width, height: info.height, channels: info.channels }
      const replaced = [...rec.lines.map((l) => l.text)]
      for (const [k, line] of rec.lines.entries()) {
        total++
        if (!line.chars.some((c) => c.prob < FLAG_PROB)) continue
        flagged++
        const xs = line.quad.map((p) => p.x)
        const ys = line.quad.map((p) => p.y)
        const left = Math.max(0, Math.floor(Math.min(...xs)))
        const top = Math.max(0, Math.floor(Math.min(...ys)))
        const width = Math.min(info.width - left, Math.ceil(Math.max(...xs)) - left)
        const height = Math.min(info.height - top, Math.ceil(Math.max(...ys)) - top)
        if (width < 2 || height < 2) continue
        // A white margin: Tesseract reads poorly when glyphs touch the border.
        const crop = await sharp(pixels, { raw }).extract({ left, top, width, height }).extend({ top: 10, bottom: 10, left: 10, right: 10, background: '#ffffff' }).png().toBuffer()
        const t = performance.now()
        const out = await worker.recognize(crop)
        lineMs += performance.now() - t
        peakRss = Math.max(peakRss, process.memoryUsage().rss)
        replaced[k] = out.data.text.replace(/\s+/g, ' ').trim()
      }
      const lexicon = restoreLatin(rec.lines).lines.map((l) => l.text)
      const both = restoreLatin(rec.lines.map((l, k) => ({ text: replaced[k]!, confidence: l.confidence }))).lines.map((l) => l.text)
      const text = (texts: string[]) => pageText(texts.map((t, k) => ({ text: t, row: rec.lines[k]!.row })))
      cer.lexicon += characterErrorRate(truth.text, text(lexicon))
      cer.tesseract += characterErrorRate(truth.text, text(replaced))
      cer.both += characterErrorRate(truth.text, text(both))
      cer.n++
    }
  } finally {
    await worker.terminate()
    rmSync(langPath, { recursive: true, force: true })
  }
  const mb = (n: number) => (n / 1e6).toFixed(0)
  console.log(`tesseract.js spa+por: start ${startMs.toFixed(0)} ms, rss +${mb(rssStarted - rss0)} MB at start, peak +${mb(peakRss - rss0)} MB`)
  console.log(`  flagged ${flagged} of ${total} es/pt lines (a char below ${FLAG_PROB}); ${(lineMs / Math.max(1, flagged)).toFixed(0)} ms per flagged line, ${(lineMs / Math.max(1, cer.n) / 1000).toFixed(2)} s per page`)
  console.log(`  mean CER on ${cer.n} es/pt pages: lexicon only ${((100 * cer.lexicon) / cer.n).toFixed(2)}%, tesseract on flagged lines ${((100 * cer.tesseract) / cer.n).toFixed(2)}%, tesseract then lexicon ${((100 * cer.both) / cer.n).toFixed(2)}%`)
}

/** Prints the alternatives' figures. */
async function measureAlternatives(docs: readonly CorpusEntry[], recs: readonly Recognition[], dir: string): Promise<void> {
  console.log('\nalternatives')
  for (const lang of ['es', 'pt'] as const) console.log(`nspell + dictionary-${lang}: ${nspellCost(lang)}`)
  await tesseractOnFlaggedLines(docs, recs, dir)
}

await main()
