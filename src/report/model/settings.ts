/**
 * The settings a run was measured with, flattened to `path → value` rows: the machine and runtime
 * (run.json `environment`), the run's options, and what the scenarios recorded (the engine's
 * `settings()`: ONNX Runtime options, sharp cache and concurrency, allocator). Native settings move
 * memory (DESIGN.md), so a comparison lists every one that differs.
 */
import type { RunResult } from '../../run/schema.js'

/** A flattened setting's value. */
export type SettingValue = string | number | boolean | null

/** One setting. Keys ending in `Bytes` hold bytes, in `Ms` milliseconds. */
export interface SettingRow {
  /** Dotted path, e.g. `engine.options.intraOpNumThreads`, `environment.mallocArenaMax`. */
  key: string
  value: SettingValue
}

/** A setting whose value differs between two runs (absent on one side reads as null). */
export interface SettingChange {
  key: string
  before: SettingValue
  after: SettingValue
}

/**
 * Readings rather than settings, or duplicates: `sessions` repeats the resolved options per model,
 * `memoryCurrentBytes` is what the cache held at that moment, version lists are long and equal.
 */
const SKIP = [/^engine\.sessions\./, /^engine\.sharpCache\.memoryCurrentBytes$/, /^engine\.sharpVersions\.(?!sharp$|vips$)/, /^engine\.options\.models/, /^engine\.(nodeVersion|glibcVersion|mallocArenaMax|ldPreload)$/]

function flatten(value: unknown, prefix: string, out: SettingRow[]): void {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    if (!SKIP.some((re) => re.test(prefix))) out.push({ key: prefix, value })
    return
  }
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) out.push({ key: prefix, value: value.join(' ') })
    else if (prefix === 'engine.models') out.push({ key: prefix, value: value.map(modelLabel).join(', ') })
    return
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  }
}

/** `det ch_PP-OCRv4_det_infer.onnx`: the role and file name of a recorded model. */
function modelLabel(m: unknown): string {
  const o = (m ?? {}) as { role?: unknown; path?: unknown }
  const file = typeof o.path === 'string' ? (o.path.split(/[\\/]/).at(-1) ?? o.path) : '?'
  return `${typeof o.role === 'string' ? o.role : '?'} ${file}`
}

/**
 * Every setting of `run`: environment, run options, then per scenario the profile, the worker's
 * Node flags and memory-relevant environment, and the recorded settings. Scenarios of one run
 * normally share them; where they differ, the first scenario that recorded a value wins and
 * `conflicts` names the key.
 */
export function settingsOf(run: RunResult): { rows: SettingRow[]; conflicts: string[] } {
  const rows: SettingRow[] = []
  flatten(run.environment, 'environment', rows)
  flatten({ repeat: run.options.repeat, snapshots: run.options.snapshots, intervalMs: run.options.intervalMs, memoryLimitBytes: run.options.memoryLimitBytes }, 'run', rows)
  const seen = new Map<string, SettingValue>()
  const conflicts = new Set<string>()
  for (const s of run.scenarios) {
    const repeat = s.repeats.find((r) => r.pass === 'measure')
    const own: SettingRow[] = [{ key: 'profile', value: s.variant ?? '—' }]
    if (repeat) {
      own.push({ key: 'worker.nodeFlags', value: repeat.nodeFlags.join(' ') })
      flatten(repeat.env, 'worker.env', own)
    }
    flatten(s.settings, '', own)
    for (const row of own) {
      if (!seen.has(row.key)) {
        seen.set(row.key, row.value)
        rows.push(row)
      } else if (seen.get(row.key) !== row.value) conflicts.add(row.key)
    }
  }
  return { rows, conflicts: [...conflicts] }
}

/** Settings whose values differ between `before` and `after`, in `after`'s order then `before`'s leftovers. */
export function diffSettings(before: readonly SettingRow[], after: readonly SettingRow[]): SettingChange[] {
  const b = new Map(before.map((r) => [r.key, r.value]))
  const a = new Map(after.map((r) => [r.key, r.value]))
  const keys = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))]
  // Figures of the machine, not settings: a change there is noted, not "optimised".
  const noise = /^environment\.(osRelease|totalMemoryBytes|ci)$/
  return keys.filter((k) => !noise.test(k) && (b.get(k) ?? null) !== (a.get(k) ?? null)).map((k) => ({ key: k, before: b.get(k) ?? null, after: a.get(k) ?? null }))
}

/** The value of `key`, or undefined when the run did not record it. */
export function settingValue(rows: readonly SettingRow[], key: string): SettingValue | undefined {
  return rows.find((r) => r.key === key)?.value
}
