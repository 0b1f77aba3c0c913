import { describe, expect, it } from 'vitest'
import { METRIC_KEYS } from '../../src/run/index.js'
import { SECTION_IDS } from '../../src/report/compose/doc.js'
import { LANGS } from '../../src/report/input.js'
import { LOCALES } from '../../src/report/locales/index.js'
import { RATINGS } from '../../src/report/model/rating.js'
import { RECOMMENDATION_IDS } from '../../src/report/model/recommendation.js'

/** Every key path of a messages object, with `fn/<arity>` for functions. */
function shape(value: unknown, prefix = ''): string[] {
  if (typeof value === 'function') return [`${prefix}:fn`]
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => shape(v, prefix ? `${prefix}.${k}` : k))
  return [`${prefix}:${typeof value}`]
}

describe('locales', () => {
  it('have the same keys in every language', () => {
    const en = shape(LOCALES.en).sort()
    for (const lang of LANGS) expect(shape(LOCALES[lang]).sort(), lang).toEqual(en)
  })

  it('name every section, rating, recommendation and gate metric', () => {
    for (const lang of LANGS) {
      const m = LOCALES[lang]
      for (const id of SECTION_IDS) expect(m.section[id], `${lang} section ${id}`).toMatch(/\S/)
      for (const r of RATINGS) expect(m.rating[r], `${lang} rating ${r}`).toMatch(/^[A-ZÁÉÍÓÚÃÕÇ ]+$/)
      for (const id of RECOMMENDATION_IDS) expect(typeof m.recommendation[id], `${lang} recommendation ${id}`).toBe('function')
      for (const key of METRIC_KEYS) expect(m.metric[key], `${lang} metric ${key}`).toMatch(/\S/)
    }
  })

  it('use the scale words of the Phase 3 report', () => {
    expect(RATINGS.slice(0, 5).map((r) => LOCALES.es.rating[r])).toEqual(['EXCELENTE', 'MUY BUENO', 'BUENO', 'REGULAR', 'CRÍTICO'])
    expect(RATINGS.slice(0, 5).map((r) => LOCALES.en.rating[r])).toEqual(['EXCELLENT', 'VERY GOOD', 'GOOD', 'FAIR', 'CRITICAL'])
    expect(RATINGS.slice(0, 5).map((r) => LOCALES.pt.rating[r])).toEqual(['EXCELENTE', 'MUITO BOM', 'BOM', 'REGULAR', 'CRÍTICO'])
  })

  it('differ from English in every sentence of the other languages', () => {
    for (const lang of ['es', 'pt'] as const) {
      const strings = (m: unknown): string[] => (typeof m === 'string' ? [m] : m && typeof m === 'object' ? Object.values(m).flatMap(strings) : [])
      const same = strings(LOCALES[lang].section).filter((s) => strings(LOCALES.en.section).includes(s))
      expect(same, lang).toEqual([])
    }
  })
})
