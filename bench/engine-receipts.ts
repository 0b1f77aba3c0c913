/**
 * `tsx bench/engine-receipts.ts [--corpus receipts|precision] [--count N] [--profile lean] [--node-flags '--max-semi-space-size=1']`:
 * the engine's field accuracy on generated receipts (the proxy for real photographed receipts):
 * total and date exact-match, per totals layout, and every miss with what was read, and the peak
 * RSS (VmHWM) of the one process that read them all. Prints figures; asserts nothing.
 * `--dump file.json` keeps every page's OCR lines, to re-score field extractors without re-reading
 * the images.
 *
 * The corpus is generated (or found) here; the pages are read in a child process started in the
 * profile's environment (`PROFILE_ENVIRONMENT`, read by glibc at start), with `--node-flags` if
 * given, so the peak is the engine's and not the generator's (canvas) or a plain malloc's. The
 * child still carries tsx's loader (~30 MiB more than compiled JavaScript). Issue 16's figure:
 * `tsx bench/engine-receipts.ts --count 60` (60 phone-photo receipts, lean, one process).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { isProfileName, LEAN_PROFILE, openEngine, PROFILE_ENVIRONMENT, PROFILE_NAMES, type ProfileName } from '../src/engine/index.js'
import { ensureCorpus, planCorpus, readTruth, type CorpusName } from '../scenarios/fixtures/index.js'

const { values } = parseArgs({
  options: {
    dump: { type: 'string' },
    corpus: { type: 'string', default: 'receipts' },
    count: { type: 'string' },
    profile: { type: 'string', default: LEAN_PROFILE },
    'node-flags': { type: 'string', default: '' },
    reader: { type: 'boolean', default: false },
  },
})
const name = values.corpus as CorpusName
const plan = planCorpus(name, values.count ? { count: Number(values.count) } : {})
const corpus = await ensureCorpus(plan)
if (!isProfileName(values.profile)) throw new Error(`--profile must be one of ${PROFILE_NAMES.join(', ')}`)
if (!values.reader) {
  const flags = values['node-flags'].split(/\s+/).filter(Boolean)
  const self = fileURLToPath(import.meta.url)
  const child = spawnSync(process.execPath, [...flags, '--import', 'tsx', self, ...process.argv.slice(2), '--reader'], { stdio: 'inherit', env: { ...process.env, ...PROFILE_ENVIRONMENT[values.profile] } })
  if (child.error) throw child.error
  process.exitCode = child.status ?? 1
} else await readAll(values.profile)

/** Reads every receipt of the corpus in this process and prints the figures. */
async function readAll(profile: ProfileName): Promise<void> {
  const engine = await openEngine({ profile })
  const byGroup = new Map<string, { n: number; total: number; date: number; both: number }>()
  const misses: string[] = []
  const dump: { id: string; truth: { total: string; date: string }; lines: { text: string; confidence: number }[] }[] = []
  let n = 0
  let totals = 0
  let dates = 0
  let both = 0
  const t0 = performance.now()
  for (const entry of corpus.documents.filter((d) => d.kind === 'receipt')) {
    const truth = await readTruth(corpus, entry)
    const result = await engine.recognize(join(corpus.dir, entry.image))
    dump.push({ id: entry.id, truth: { total: truth.fields.total, date: truth.fields.date }, lines: result.lines.map((l) => ({ text: l.text, confidence: l.confidence })) })
    const okTotal = result.fields.total?.value === truth.fields.total
    const okDate = result.fields.date?.value === truth.fields.date
    n++
    if (okTotal) totals++
    if (okDate) dates++
    if (okTotal && okDate) both++
    const group = entry.id.split('-').slice(3).join('-') || entry.layout
    const g = byGroup.get(group) ?? { n: 0, total: 0, date: 0, both: 0 }
    g.n++
    if (okTotal) g.total++
    if (okDate) g.date++
    if (okTotal && okDate) g.both++
    byGroup.set(group, g)
    if (!okTotal) misses.push(`${entry.id} [${entry.degradations.join(',')}] total: want ${truth.fields.total}, got ${result.fields.total?.value ?? '(none)'}`)
    if (!okDate) misses.push(`${entry.id} [${entry.degradations.join(',')}] date: want ${truth.fields.date}, got ${result.fields.date?.value ?? '(none)'}`)
  }
  await engine.close()
  if (values.dump) writeFileSync(values.dump, JSON.stringify(dump))
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`
  const peakMiB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024
  console.log(`corpus ${name} (${n} receipts, ${profile}, one process${values['node-flags'] ? ` with ${values['node-flags']}` : ''}, peak RSS ${peakMiB.toFixed(1)} MiB): total ${totals}/${n} ${pct(totals, n)}, date ${dates}/${n} ${pct(dates, n)}, both ${both}/${n} ${pct(both, n)}; ${((performance.now() - t0) / n).toFixed(0)} ms/receipt`)
  for (const [group, g] of [...byGroup].sort()) console.log(`  ${group.padEnd(28)} n=${g.n} total ${pct(g.total, g.n)} date ${pct(g.date, g.n)}`)
  for (const m of misses) console.log(`  miss ${m}`)
}
