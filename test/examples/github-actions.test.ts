/**
 * examples/github-actions/memgate.yml: every memgate command it runs exists with the flags it
 * uses (the real CLI's --help), its shards, artifacts and paths agree, and its commands, run as
 * the workflow runs them (artifact upload and download simulated), gate a tiny suite.
 *
 * No YAML package is installed, so {@link parseYaml} reads the subset workflows use: maps, lists,
 * `[a, b]`, `|` blocks and comments.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseShard } from '../../src/run/shard.js'
import { runCli } from '../helpers/cli.js'
import { ensureBuilt } from '../scenario/helpers.js'
import { tempDir } from '../fixtures/gate/runs.js'

const ROOT = join(import.meta.dirname, '..', '..')
const WORKFLOW = join(ROOT, 'examples', 'github-actions', 'memgate.yml')
const SCENARIOS = ['shard-alpha', 'shard-beta'].map((n) => join(ROOT, 'test', 'run', 'fixtures', `${n}.mjs`))

type Yaml = string | Yaml[] | { [key: string]: Yaml }

/** The YAML subset of a workflow: block maps and lists, flow lists of scalars, `|` blocks, comments. */
function parseYaml(text: string): Yaml {
  if (text.includes('\t')) throw new Error('tabs in YAML')
  const lines = text.split('\n').map((raw) => ({ raw, indent: raw.length - raw.trimStart().length, body: raw.trim() }))
  let i = 0
  const skip = (): void => {
    while (i < lines.length && (lines[i]!.body === '' || lines[i]!.body.startsWith('#'))) i++
  }
  const scalar = (v: string): Yaml => {
    const bare = v.replace(/\s+#.*$/, '').trim()
    if (bare.startsWith('[')) {
      if (!bare.endsWith(']')) throw new Error(`unclosed flow list: ${v}`)
      return bare.slice(1, -1).split(',').map((x) => x.trim()).filter(Boolean).map((x) => scalar(x) as string)
    }
    return /^(['"]).*\1$/.test(bare) ? bare.slice(1, -1) : bare
  }
  const block = (parent: number): string => {
    const body: string[] = []
    while (i < lines.length && (lines[i]!.body === '' || lines[i]!.indent > parent)) body.push(lines[i++]!.raw)
    while (body.length && body.at(-1)!.trim() === '') body.pop()
    const cut = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length))
    return body.map((l) => l.slice(cut)).join('\n')
  }
  const node = (indent: number): Yaml => {
    skip()
    if (lines[i]?.body.startsWith('- ') || lines[i]?.body === '-') {
      const list: Yaml[] = []
      while (i < lines.length && (skip(), lines[i]?.indent === indent && lines[i]!.body.startsWith('-'))) {
        const line = lines[i]!
        const rest = line.body.slice(1).trim()
        if (rest === '') {
          i++
          skip()
          list.push(node(lines[i]!.indent))
        } else if (/^[\w.-]+:(\s|$)/.test(rest)) {
          // `- key: value` opens a map whose keys sit two columns in.
          lines[i] = { raw: `${' '.repeat(indent + 2)}${rest}`, indent: indent + 2, body: rest }
          list.push(node(indent + 2))
        } else {
          i++
          list.push(scalar(rest))
        }
      }
      return list
    }
    const map: { [key: string]: Yaml } = {}
    while (i < lines.length && (skip(), lines[i]?.indent === indent && !lines[i]!.body.startsWith('- '))) {
      const line = lines[i]!
      const m = /^([\w.${}-]+):(?:\s+(.*))?$/.exec(line.body)
      if (!m) throw new Error(`line ${i + 1}: not "key: value": ${line.raw}`)
      const [, key, value = ''] = m
      i++
      if (key! in map) throw new Error(`line ${i}: duplicate key ${key}`)
      if (value === '|') map[key!] = block(indent)
      else if (value.replace(/\s+#.*$/, '') === '') {
        skip()
        map[key!] = i < lines.length && lines[i]!.indent > indent ? node(lines[i]!.indent) : ''
      } else map[key!] = scalar(value)
    }
    if (i < lines.length && (skip(), i < lines.length) && lines[i]!.indent > indent) throw new Error(`line ${i + 1}: unexpected indentation: ${lines[i]!.raw}`)
    return map
  }
  const doc = node(0)
  skip()
  if (i < lines.length) throw new Error(`line ${i + 1}: not parsed: ${lines[i]!.raw}`)
  return doc
}

interface Step {
  name?: string
  uses?: string
  run?: string
  if?: string
  /** The keys the tests read (each step has the ones its action takes). */
  with?: { name: string; path: string; pattern: string }
}
interface Job {
  needs?: string
  strategy?: { matrix?: { shard?: string[] } }
  steps: Step[]
}
interface Workflow {
  env: Record<string, string>
  jobs: Record<string, Job>
}

const workflow = parseYaml(readFileSync(WORKFLOW, 'utf8')) as unknown as Workflow

/** `${{ matrix.shard }}`, `${{ env.X }}` → their values; anything else is left for the test to flag. */
function expand(text: string, shard: string | null): string {
  return text.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (all, expr: string) => {
    if (expr === 'matrix.shard' && shard !== null) return shard
    if (expr.startsWith('env.') && workflow.env[expr.slice(4)] !== undefined) return workflow.env[expr.slice(4)]!
    return all
  })
}

/** The argv of every `npx memgate …` in a step's `run`, expressions expanded. */
function memgateCommands(step: Step, shard: string | null): string[][] {
  if (!step.run) return []
  return [...expand(step.run, shard).matchAll(/npx memgate ([^|;&\n]*)/g)].map((m) => m[1]!.trim().split(/\s+/))
}

/** Each job's memgate commands, per matrix shard (one pass for a job without a matrix). */
function commandsOf(job: Job): { shard: string | null; argv: string[] }[] {
  const shards = job.strategy?.matrix?.shard ?? [null]
  return shards.flatMap((shard) => job.steps.flatMap((step) => memgateCommands(step, shard).map((argv) => ({ shard, argv }))))
}

/** The options of a command's --help, each with its (wrapped) description: `--explain` → `… [boolean]`. */
function optionsOf(help: string): Map<string, string> {
  const options = new Map<string, string>()
  let current: string | null = null
  for (const line of help.split('\n')) {
    const m = /^ +(?:-\w, )?--([\w-]+)\b(.*)$/.exec(line)
    if (m) options.set((current = m[1]!), m[2]!)
    else if (current && /^ {20,}\S/.test(line)) options.set(current, `${options.get(current)} ${line.trim()}`)
    else current = null
  }
  return options
}

/** A shell glob (`*` within one path segment) as a regular expression. */
function globRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}$`)
}

/** What the shell makes of `token` in `cwd`: the sorted matches of a glob in its last segment, else the token. */
function glob(cwd: string, token: string): string[] {
  if (!token.includes('*')) return [token]
  const dir = dirname(token)
  const re = globRegExp(token)
  const found = readdirSync(join(cwd, dir)).map((n) => `${dir}/${n}`).filter((p) => re.test(p)).sort()
  return found.length ? found : [token]
}

const jobs = Object.values(workflow.jobs)
const measure = jobs.find((j) => j.strategy?.matrix?.shard) as Job
const gate = jobs.find((j) => j.needs) as Job

describe('examples/github-actions/memgate.yml', () => {
  it('reads as a workflow: a matrix of shards, artifacts, a gate job after them', () => {
    expect(Object.keys(workflow.jobs).sort()).toEqual(['gate', 'measure'])
    expect(gate.needs).toBe('measure')
    expect(measure.strategy?.matrix?.shard).toEqual(['1', '2'])
    expect(workflow.env.SHARDS).toBe('2')
    for (const job of jobs) for (const step of job.steps) expect(step.uses ?? step.run, JSON.stringify(step)).toBeTruthy()
  })

  it('runs memgate commands that exist, with flags they have', async () => {
    const all = jobs.flatMap(commandsOf)
    expect(all.map((c) => c.argv[0])).toEqual(['check', 'check', 'merge', 'check'])
    const { stdout: commands } = await runCli(['--help'])
    const helps = new Map<string, string>()
    for (const { argv } of all) {
      expect(argv.join(' ')).not.toContain('${{')
      const command = argv[0]!
      expect(commands).toMatch(new RegExp(`^ {2}memgate ${command}\\b`, 'm'))
      if (!helps.has(command)) {
        const help = await runCli([command, '--help'])
        expect(help.exitCode).toBe(0)
        helps.set(command, help.stdout)
      }
      const options = optionsOf(helps.get(command)!)
      for (const token of argv.filter((t) => t.startsWith('--'))) {
        const flag = token.slice(2).split('=')[0]!
        // yargs takes --no-X for a boolean --X.
        const known = options.has(flag) || (flag.startsWith('no-') && (options.get(flag.slice(3)) ?? '').includes('[boolean]'))
        expect(known, `memgate ${command} has no ${token}`).toBe(true)
      }
    }
  })

  it('measures every shard once and merges every shard’s artifact into the run it gates', () => {
    const shards = commandsOf(measure).map(({ argv }) => parseShard(argv[argv.indexOf('--shard') + 1]!))
    const count = Number(workflow.env.SHARDS)
    expect(shards).toEqual(Array.from({ length: count }, (_, i) => ({ index: i + 1, count })))

    const measureCheck = commandsOf(measure)[0]!.argv
    const upload = measure.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!
    const out = measureCheck[measureCheck.indexOf('--out') + 1]!
    expect(upload.with?.path.split('\n')[0]).toBe(`${out}/`)
    const artifact = (shard: string): string => expand(upload.with!.name, shard)

    const download = gate.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!
    const [merge, check] = commandsOf(gate).map((c) => c.argv)
    // The merge takes every downloaded shard (a shell glob), and the merge itself refuses a missing one.
    const inputs = merge!.slice(1, merge!.indexOf('--out'))
    expect(inputs).toHaveLength(1)
    for (const shard of measure.strategy!.matrix!.shard!) expect(globRegExp(inputs[0]!).test(`${download.with!.path}/${artifact(shard)}`)).toBe(true)
    expect(globRegExp(download.with!.pattern).test(artifact('1'))).toBe(true)
    expect(check!.slice(check!.indexOf('--run'), check!.indexOf('--run') + 2)).toEqual(['--run', merge![merge!.indexOf('--out') + 1]])
    // The gate job's check writes the step summary itself under GitHub Actions (GITHUB_STEP_SUMMARY).
    expect(check).not.toContain('--json')
  })
})

describe('the workflow’s commands, run as the workflow runs them', () => {
  const made: string[] = []
  beforeAll(() => ensureBuilt())
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true })
  })

  it('measure each shard, upload, download, merge and gate, writing the step summary', async () => {
    const cwd = tempDir('memgate-workflow-')
    made.push(cwd)
    writeFileSync(join(cwd, 'memgate.config.json'), JSON.stringify({ run: { intervalMs: 20 }, check: { scenarios: SCENARIOS, repeat: 1, extraRepeats: 0 }, budgets: { peakRss: '2 GiB', fluctuation: '1 GiB', swap: false, drift: false } }))
    const upload = measure.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!
    const download = gate.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!
    const artifacts = join(cwd, '.artifacts')
    for (const shard of measure.strategy!.matrix!.shard!) {
      const job = join(cwd, `job-${shard}`)
      mkdirSync(job)
      writeFileSync(join(job, 'memgate.config.json'), readFileSync(join(cwd, 'memgate.config.json')))
      for (const step of measure.steps) {
        for (const argv of memgateCommands(step, shard)) {
          const { exitCode, stderr } = await runCli(argv, { cwd: job, env: { ...process.env, GITHUB_ACTIONS: '' } })
          expect(exitCode, stderr).toBeLessThanOrEqual(1)
        }
      }
      // upload-artifact: the listed paths minus the `!` ones, relative to their common root.
      const paths = upload.with!.path.split('\n').map((p) => p.trim()).filter(Boolean)
      const include = paths.filter((p) => !p.startsWith('!'))
      const exclude = paths.filter((p) => p.startsWith('!')).map((p) => join(job, p.slice(1)))
      expect(include).toHaveLength(1)
      cpSync(join(job, include[0]!), join(artifacts, expand(upload.with!.name, shard)), { recursive: true, filter: (from) => !exclude.includes(from.replace(/\/$/, '')) })
    }
    // download-artifact with a pattern: each artifact into <path>/<name>/.
    const pattern = globRegExp(download.with!.pattern)
    for (const name of readdirSync(artifacts).filter((n) => pattern.test(n))) cpSync(join(artifacts, name), join(cwd, download.with!.path, name), { recursive: true })
    expect(readdirSync(join(cwd, download.with!.path, 'memgate-shard-1')).filter((n) => n !== 'latest')).toHaveLength(1)

    const summary = join(cwd, 'step-summary.md')
    writeFileSync(summary, '')
    const ran: string[] = []
    for (const step of gate.steps) {
      for (const argv of memgateCommands(step, null).map((a) => a.flatMap((t) => glob(cwd, t)))) {
        const { exitCode, stdout, stderr } = await runCli(argv, { cwd, env: { ...process.env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } })
        expect(exitCode, `memgate ${argv.join(' ')}\n${stdout}${stderr}`).toBe(0)
        ran.push(`${argv[0]} ${stdout.split('\n')[0]}`)
      }
    }
    expect(ran[0]).toMatch(/^merge Merged shard 1\/2, shard 2\/2: 2 scenarios \(shard-alpha, shard-beta\)/)
    expect(ran[1]).toMatch(/^check memgate check: run \S+ \(.*merged\/run\.json\)/)
    const written = readFileSync(summary, 'utf8')
    expect(written).toContain('shard-alpha')
    expect(written).toContain('shard-beta')
  })
})
