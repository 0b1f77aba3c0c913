/**
 * Units live in names and types (STYLE.md §6). Data holds bytes and milliseconds; formatting
 * happens only at the edge (reports, CLI).
 */
import { ConfigError } from './errors.js'

/** A size in bytes. */
export type Bytes = number & { readonly __unit: 'bytes' }
/** A duration in milliseconds. */
export type Ms = number & { readonly __unit: 'ms' }

export const bytes = (n: number): Bytes => n as Bytes
export const ms = (n: number): Ms => n as Ms

export const KiB = 1024
export const MiB = 1024 * 1024
export const GiB = 1024 * 1024 * 1024

/**
 * Formats a byte count for people: binary units, three significant digits.
 * @example formatBytes(440401920) // '420 MiB'
 */
export function formatBytes(n: number | null | undefined, signed = false): string {
  if (n == null || !Number.isFinite(n)) return '—'
  const sign = n < 0 ? '-' : signed && n > 0 ? '+' : ''
  const a = Math.abs(n)
  const [value, unit] = a >= GiB ? [a / GiB, 'GiB'] : a >= MiB ? [a / MiB, 'MiB'] : a >= KiB ? [a / KiB, 'KiB'] : [a, 'B']
  const digits = unit === 'B' || value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${sign}${value.toFixed(digits)} ${unit}`
}

/** Formats milliseconds for people. */
export function formatMs(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return '—'
  if (Math.abs(n) >= 60_000) return `${(n / 60_000).toFixed(1)} min`
  if (Math.abs(n) >= 1000) return `${(n / 1000).toFixed(2)} s`
  return `${n.toFixed(n >= 100 ? 0 : 1)} ms`
}

/** Formats a ratio as a percentage with sign, e.g. `+12.3%`. */
export function formatPercent(ratio: number | null | undefined, signed = true): string {
  if (ratio == null || !Number.isFinite(ratio)) return '—'
  const p = ratio * 100
  return `${signed && p > 0 ? '+' : ''}${p.toFixed(Math.abs(p) >= 10 ? 1 : 2)}%`
}

const UNIT_FACTORS: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: KiB,
  mib: MiB,
  gib: GiB,
  k: KiB,
  m: MiB,
  g: GiB,
}

/**
 * Parses a human size: a number of bytes, or `'500 MB'`, `'1.5 GiB'`, `'300MiB'`.
 * `MB` means 10^6 bytes, `MiB` 2^20 (as users of `ls` and `free` expect).
 * @throws ConfigError with the offending text and where it came from.
 */
export function parseBytes(value: number | string, where = 'size'): Bytes {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new ConfigError(`Expected a non-negative size for ${where} but received ${value}`)
    return bytes(value)
  }
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value)
  const factor = m ? UNIT_FACTORS[(m[2] || 'b').toLowerCase()] : undefined
  if (!m || factor === undefined || Number(m[1]) < 0) {
    throw new ConfigError(`Expected a size like '500 MB' or '1.5 GiB' for ${where} but received '${value}'`)
  }
  return bytes(Math.round(Number(m[1]) * factor))
}

/**
 * Parses a ratio: `0.02`, `'2%'`, `'+5%'`. Returns the fraction (0.02).
 * @throws ConfigError when the text is not a number or percentage.
 */
export function parseRatio(value: number | string, where = 'ratio'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ConfigError(`Expected a finite number for ${where} but received ${value}`)
    return value
  }
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value)
  if (!m) throw new ConfigError(`Expected a ratio like '2%' or 0.02 for ${where} but received '${value}'`)
  return m[2] ? Number(m[1]) / 100 : Number(m[1])
}
