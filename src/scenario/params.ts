/**
 * Scenario parameters: `--param k=v` strings (or config values) checked against a scenario's
 * declarations and converted to the declared type, in the parent, before any process starts.
 */
import { UsageError } from '../common/errors.js'
import type { ParamAssignment, ParamInput } from '../config/params.js'
import { isIntegerParam, MAX_INTEGER_PARAM, type ParamSpec, type ParamSpecs, type ParamValue } from './define.js'

/**
 * Resolves a scenario's parameters: defaults, overridden by the assignments that apply to it.
 * Unscoped assignments apply to every scenario that declares the key; a scoped one must name a
 * declared key. Unknown keys are rejected by {@link checkAssignmentsUsed}.
 * @throws UsageError when a value does not parse or is out of range
 */
export function resolveParams(scenario: string, specs: ParamSpecs, assignments: readonly ParamAssignment[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {}
  for (const [key, spec] of Object.entries(specs)) out[key] = spec.default
  for (const a of assignments) {
    if (a.scenario !== null && a.scenario !== scenario) continue
    const spec = specs[a.key]
    if (!spec) {
      if (a.scenario === null) continue
      throw new UsageError(`Scenario '${scenario}' has no parameter '${a.key}'; it has: ${known(specs)}.`)
    }
    out[a.key] = coerce(scenario, a.key, spec, a.value)
  }
  return out
}

/**
 * Rejects unscoped assignments that no selected scenario declares (a typo must not pass silently).
 * @param declared parameter names per selected scenario
 */
export function checkAssignmentsUsed(assignments: readonly ParamAssignment[], declared: ReadonlyMap<string, readonly string[]>): void {
  for (const a of assignments) {
    if (a.scenario !== null) {
      if (!declared.has(a.scenario) && !a.fromConfig) {
        throw new UsageError(`--param ${a.scenario}.${a.key} names scenario '${a.scenario}', which is not selected; selected: ${[...declared.keys()].join(', ')}.`)
      }
      continue
    }
    const users = [...declared.values()].filter((keys) => keys.includes(a.key))
    if (users.length === 0 && !a.fromConfig) {
      const all = [...declared].map(([name, keys]) => `${name}: ${keys.join(', ') || '(none)'}`).join('; ')
      throw new UsageError(`No selected scenario has a parameter '${a.key}'. Parameters are ${all}.`)
    }
  }
}

function coerce(scenario: string, key: string, spec: ParamSpec, raw: ParamInput): ParamValue {
  const where = `--param ${scenario}.${key}`
  if (typeof spec.default === 'number') {
    const n = typeof raw === 'number' ? raw : Number(String(raw).trim())
    const shown = typeof raw === 'number' ? String(raw) : JSON.stringify(raw)
    const integer = isIntegerParam(spec)
    if (String(raw).trim() === '' || Number.isNaN(n)) throw new UsageError(`${where} expects a number but received ${shown}.`)
    if (!Number.isFinite(n)) throw new UsageError(`${where} must be a finite number but received ${String(raw).trim()}.`)
    if (integer && !Number.isInteger(n)) throw new UsageError(`${where} expects a whole number but received ${n}.`)
    if (spec.min !== undefined && n < spec.min) throw new UsageError(`${where} must be at least ${spec.min} but received ${n}.`)
    const max = spec.max ?? (integer ? MAX_INTEGER_PARAM : Number.MAX_SAFE_INTEGER)
    const min = spec.min ?? (integer ? -MAX_INTEGER_PARAM : -Number.MAX_SAFE_INTEGER)
    if (n > max) throw new UsageError(`${where} must be at most ${max} but received ${n}.`)
    if (n < min) throw new UsageError(`${where} must be at least ${min} but received ${n}.`)
    return n
  }
  if (typeof spec.default === 'boolean') {
    if (typeof raw === 'boolean') return raw
    const s = String(raw).trim().toLowerCase()
    if (s === 'true' || s === '1' || s === 'yes') return true
    if (s === 'false' || s === '0' || s === 'no') return false
    throw new UsageError(`${where} expects true or false but received ${JSON.stringify(raw)}.`)
  }
  const s = String(raw)
  if (spec.choices && !spec.choices.includes(s)) throw new UsageError(`${where} must be one of ${spec.choices.join(', ')} but received ${JSON.stringify(s)}.`)
  return s
}

function known(specs: ParamSpecs): string {
  const keys = Object.keys(specs)
  return keys.length ? keys.join(', ') : '(none)'
}
