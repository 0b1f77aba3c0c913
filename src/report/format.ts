/**
 * Number formatting for reports, by language: `12.5 MiB` in English, `12,5 MiB` in Spanish and
 * Portuguese. Data stays in bytes and milliseconds; this is the edge where it becomes text
 * (STYLE.md §6). Binary size units, as everywhere else in memgate, so a report and `memgate check`
 * print the same figure for the same bytes.
 */
import type { Lang } from './input.js'

/** BCP 47 tag of each report language (the number conventions of its largest readership). */
export const LOCALE_TAGS: Readonly<Record<Lang, string>> = { en: 'en-GB', es: 'es-ES', pt: 'pt-BR' }

const KiB = 1024
const MiB = KiB * 1024
const GiB = MiB * 1024

/** Formatting functions of one language. Every function renders null, NaN and ±Infinity as `—`. */
export interface Formatter {
  lang: Lang
  /** A plain number with exactly `digits` decimals, grouped: `1,234.5`. */
  num(n: number | null | undefined, digits?: number): string
  /** Bytes in binary units, three significant digits: `421 MiB`, `1.25 GiB`; `signed` adds `+` to growth. */
  bytes(n: number | null | undefined, signed?: boolean): string
  /** Milliseconds: `830 ms`, `2.41 s`, `1.5 min`. */
  ms(n: number | null | undefined): string
  /** A fraction as a percentage: `0.026` → `2.6%` (`digits` decimals, default 1); `signed` adds `+`. */
  percent(ratio: number | null | undefined, digits?: number, signed?: boolean): string
  /** Operations per second: `14.2/s`. */
  rate(n: number | null | undefined): string
  /** A 0..1 score with three decimals: `0.912`. */
  score(n: number | null | undefined): string
  /** A difference of two fractions in percentage points: `+0.6 pp`. */
  points(diff: number | null | undefined): string
  /** A date-time in UTC, `2025-03-01 12:34 UTC` (ISO order reads the same in every language). */
  dateTime(iso: string | null | undefined): string
}

const DASH = '—'
const ok = (n: number | null | undefined): n is number => n != null && Number.isFinite(n)

/** The formatter of `lang`. Cheap to create; keeps its Intl formatters. */
export function formatterFor(lang: Lang): Formatter {
  const tag = LOCALE_TAGS[lang]
  const cache = new Map<number, Intl.NumberFormat>()
  const nf = (digits: number): Intl.NumberFormat => {
    let f = cache.get(digits)
    if (!f) {
      f = new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true })
      cache.set(digits, f)
    }
    return f
  }
  // Intl writes a minus sign that is not ASCII in some locales; reports keep '-' so they grep well.
  const num = (n: number | null | undefined, digits = 0): string => (ok(n) ? nf(digits).format(n).replace('\u2212', '-') : DASH)
  const sign = (n: number, signed: boolean): string => (signed && n > 0 ? '+' : '')
  const sigDigits = (v: number): number => (v >= 100 ? 0 : v >= 10 ? 1 : 2)
  return {
    lang,
    num,
    bytes(n, signed = false) {
      if (!ok(n)) return DASH
      const a = Math.abs(n)
      const [v, unit] = a >= GiB ? [a / GiB, 'GiB'] : a >= MiB ? [a / MiB, 'MiB'] : a >= KiB ? [a / KiB, 'KiB'] : [a, 'B']
      const text = num(v, unit === 'B' ? 0 : sigDigits(v))
      return `${n < 0 ? '-' : sign(n, signed)}${text} ${unit}`
    },
    ms(n) {
      if (!ok(n)) return DASH
      const a = Math.abs(n)
      if (a >= 60_000) return `${num(n / 60_000, 1)} min`
      if (a >= 1000) return `${num(n / 1000, 2)} s`
      return `${num(n, a >= 100 ? 0 : 1)} ms`
    },
    percent(ratio, digits = 1, signed = false) {
      if (!ok(ratio)) return DASH
      const p = ratio * 100
      const text = num(p, digits)
      // A change that rounds to zero is written without a sign: "+0.0%" reads as a change.
      return /^-?0([.,]0+)?$/.test(text) ? `${text.replace('-', '')}%` : `${sign(p, signed)}${text}%`
    },
    rate(n) {
      if (!ok(n)) return DASH
      const a = Math.abs(n)
      return `${num(n, a >= 100 ? 0 : a >= 10 ? 1 : 2)}/s`
    },
    score(n) {
      return ok(n) ? num(n, 3) : DASH
    },
    points(diff) {
      if (!ok(diff)) return DASH
      const text = num(diff * 100, 1)
      return /^-?0([.,]0)?$/.test(text) ? `${text.replace('-', '')} pp` : `${sign(diff, true)}${text} pp`
    },
    dateTime(iso) {
      if (!iso) return DASH
      const d = new Date(iso)
      if (Number.isNaN(d.getTime())) return DASH
      return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
    },
  }
}
