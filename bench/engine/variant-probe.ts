/**
 * Child process for bench/engine-int8.ts: one engine variant over the first `count` regular
 * documents of the precision corpus; prints one JSON line with the mean CER, CPU ms per page,
 * wall ms per page and peak RSS (VmHWM).
 * Run as `node --import tsx variant-probe.ts <options JSON> <count>`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { characterErrorRate } from '../../src/index.js'
import { openEngine, type EngineOptions } from '../../src/engine/index.js'
import { ensureCorpus, readTruth } from '../../scenarios/fixtures/index.js'

const [optionsJson = '{}', countText = '12'] = process.argv.slice(2)
const corpus = await ensureCorpus('precision')
const docs = corpus.documents.filter((d) => !d.id.includes('exif') && !d.id.includes('alpha-')).slice(0, Number(countText))
const engine = await openEngine(JSON.parse(optionsJson) as EngineOptions)
let cer = 0
let totals = 0
const cpu0 = process.cpuUsage()
const t0 = performance.now()
for (const d of docs) {
  const truth = await readTruth(corpus, d)
  const r = await engine.recognize(join(corpus.dir, d.image))
  cer += characterErrorRate(truth.text, r.text)
  if (r.fields.total?.value === truth.fields.total) totals++
}
const cpu = process.cpuUsage(cpu0)
const wallMs = performance.now() - t0
const peakRssBytes = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024
await engine.close()
console.log(JSON.stringify({ pages: docs.length, meanCer: cer / docs.length, totals, cpuMsPerPage: (cpu.user + cpu.system) / 1000 / docs.length, wallMsPerPage: wallMs / docs.length, peakRssBytes }))
