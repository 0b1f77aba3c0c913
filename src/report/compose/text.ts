/** Figures as text, by unit, for the composer (the locale decides the words, the formatter the digits). */
import type { Formatter } from '../format.js'
import type { Spread } from '../model/spread.js'

/** Every unit a report figure comes in. */
export type Unit = 'bytes' | 'ms' | 'perSec' | 'score' | 'ratio' | 'count'

/** A value in its unit: `421 MiB`, `2.41 s`, `14.2/s`, `0.912`, `1.23%`, `41`. */
export function valueText(f: Formatter, unit: Unit, v: number | null | undefined): string {
  switch (unit) {
    case 'bytes':
      return f.bytes(v)
    case 'ms':
      return f.ms(v)
    case 'perSec':
      return f.rate(v)
    case 'score':
      return f.score(v)
    case 'ratio':
      // Two decimals below 10%: a CER of 0.4% and one of 0.6% are different results.
      return f.percent(v, v != null && Math.abs(v) < 0.1 ? 2 : 1)
    case 'count':
      return f.num(v, v != null && !Number.isInteger(v) ? 1 : 0)
  }
}

/** A signed difference in the unit: `+38.0 MiB`, `-1.20 s`, `+0.6 pp`, `-0.012`. */
export function deltaText(f: Formatter, unit: Unit, d: number | null | undefined): string {
  if (d == null || !Number.isFinite(d)) return '—'
  if (unit === 'bytes') return f.bytes(d, true)
  if (unit === 'ratio') return f.points(d)
  const text = valueText(f, unit, Math.abs(d))
  // A difference that rounds to zero is written without a sign: "-0.000" reads as a change.
  return d === 0 || !/[1-9]/.test(text) ? text : `${d > 0 ? '+' : '-'}${text}`
}

/** The noise of a figure: `±2.1 MiB · CV 1.4% · n=5`, or `n=1` for a single repeat. */
export function noiseText(f: Formatter, unit: Unit, s: Spread | null | undefined): string {
  if (!s) return '—'
  if (s.n < 2) return `n=${s.n}`
  const mad = unit === 'ratio' ? f.points(s.mad).replace('+', '') : valueText(f, unit, s.mad)
  return s.cv === null ? `±${mad} · n=${s.n}` : `±${mad} · CV ${f.percent(s.cv, 1)} · n=${s.n}`
}
