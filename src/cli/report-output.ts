/** Writing a generated report and the lines `report` and `compare` print about it. */
import { isAbsolute, join, relative } from 'node:path'
import type { JudgedRun } from '../report/input.js'
import type { GeneratedReport } from '../report/index.js'
import type { CheckOutcome } from '../baseline/index.js'
import type { RunResult } from '../run/schema.js'
import { writeFileAtomic } from '../common/fs.js'
import { println, type CliIO } from './io.js'

/** `p` as the user should read it: relative to the working directory when inside it, else absolute. */
export function shownPath(cwd: string, p: string): string {
  const rel = relative(cwd, p)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? p : rel
}

/** The report's view of a judged run. */
export function judged(run: RunResult, dir: string, outcome: CheckOutcome): JudgedRun {
  return { run, dir, verdicts: outcome.scenarios.flatMap((s) => s.verdicts) }
}

/** Writes the generated files into `outDir` atomically and prints where they are. */
export async function writeReport(io: CliIO, generated: GeneratedReport, outDir: string): Promise<string[]> {
  const written: string[] = []
  for (const f of generated.files) {
    const path = join(outDir, f.name)
    await writeFileAtomic(path, f.data)
    written.push(path)
  }
  const main = written.filter((p) => p.endsWith('.md') || p.endsWith('.html'))
  const charts = written.length - main.length
  for (const p of main) println(io.stdout, `Report written to ${shownPath(io.cwd, p)}`)
  if (charts) println(io.stdout, `${charts} chart${charts === 1 ? '' : 's'} (PNG) written to ${shownPath(io.cwd, outDir)}`)
  return written
}

/** One line for the terminal: rating and verdict counts. */
export function summaryLine(generated: GeneratedReport): string {
  const { after } = generated.report
  const count = (k: 'pass' | 'fail' | 'inconclusive'): number => after.verdicts.filter((v) => v.kind === k).length
  return `Rating ${after.rating.rating.toUpperCase().replace('-', ' ')}: ${count('pass')} passed, ${count('fail')} failed, ${count('inconclusive')} inconclusive.`
}
