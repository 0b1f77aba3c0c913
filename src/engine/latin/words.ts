/**
 * Word-level restoration: each run of letters is folded and looked up in the language's lexicon;
 * a hit writes the accented spelling back in the case the recogniser read. Where the lexicon
 * offers several spellings, the one whose accented positions the image supports (an accent read
 * there, or an accented runner-up class) wins, else the lexicon's preferred one. Words the lexicon
 * does not know only get letters the language cannot contain (`ä`, `ā`, `ǒ`: the recogniser's
 * lookalikes for `ã`, `ô`...) mapped to the language's nearest letter. Two-letter capitals
 * (state codes, abbreviations) are left alone.
 */
import { applyCase, foldChar, foldKey, hasDiacritic } from './fold.js'
import type { LatinLang } from './language.js'
import type { Lexicon } from './lexicon.js'
import type { EditableLine } from './line.js'

/**
 * Probability given to letters the lexicon restored: the base letters were read, only the marks
 * are inferred. A spelling whose bare form is also a word (`numero`/`número`) or that was picked
 * among several is less sure.
 */
export const WORD_CERTAINTY = { unique: 0.9, bareIsWord: 0.75, chosen: 0.7, lookalike: 0.5 } as const

// Letters the recogniser's alphabet has but the language never writes, mapped to the letter of
// the language they most likely stand for (tilde read as diaeresis or macron, circumflex as caron).
const LOOKALIKES: Record<'es' | 'pt', Readonly<Record<string, string>>> = {
  es: { ä: 'á', ā: 'á', ǎ: 'á', à: 'á', è: 'é', ē: 'é', ë: 'é', ì: 'í', ī: 'í', ǐ: 'í', ò: 'ó', ō: 'ó', ǒ: 'ó', ö: 'ó', ū: 'ú', Ë: 'É' },
  pt: { ä: 'ã', ā: 'ã', ǎ: 'â', è: 'é', ē: 'ê', ë: 'ê', ì: 'í', ī: 'í', ǐ: 'í', ò: 'ó', ō: 'õ', ǒ: 'ô', ö: 'õ', ū: 'ú', Ë: 'Ê' },
}

/** Restores the words of one line in place. */
export function restoreWords(line: EditableLine, lang: LatinLang, lexicon: Lexicon | undefined): void {
  if (lang === 'en') return
  const text = line.text
  const edits: { start: number; end: number; replacement: string; certainty: number }[] = []
  // A `6` after two letters, or a `?` between letters, may be an `ó`/`ô`/`õ` (`atendi6`, `Le6n`,
  // `Condic?es`): the lexicon decides. A capital after a lower-case letter starts a new word
  // (`xGalao`: a space lost).
  for (const match of text.matchAll(/\p{L}+(?:(?<=\p{L}{2})(?:6|\?(?=\p{L}))\p{L}*)?/gu)) {
    for (const part of splitCamel(match[0], match.index)) {
      const odd = part.text.search(/[6?]/)
      const viaOdd = odd > 0 ? restoreOddO(part.text, odd, lexicon) : undefined
      const observed = odd > 0 && !viaOdd ? part.text.slice(0, odd) : part.text
      const edit = viaOdd ?? restoreWord(observed, part.start, line, lang, lexicon)
      if (edit && edit.replacement !== observed) edits.push({ start: part.start, end: part.start + observed.length, ...edit })
    }
  }
  // Right to left, so earlier indices stay valid (replacements keep the word's length).
  for (const e of edits.reverse()) line.replace(e.start, e.end, e.replacement, e.certainty)
}

/** Splits `xGalao` into `x` and `Galao`; other runs come back whole. */
function splitCamel(text: string, start: number): { text: string; start: number }[] {
  const parts: { text: string; start: number }[] = []
  let from = 0
  for (let i = 1; i < text.length; i++) {
    const prev = text[i - 1]!
    const ch = text[i]!
    if (prev !== prev.toUpperCase() && ch !== ch.toLowerCase()) {
      parts.push({ text: text.slice(from, i), start: start + from })
      from = i
    }
  }
  parts.push({ text: text.slice(from), start: start + from })
  return parts
}

/** `atendi6` → `atendió`, `estac?o` → `estação`, when the lexicon spells the word with an accented letter there. */
function restoreOddO(observed: string, at: number, lexicon: Lexicon | undefined): { replacement: string; certainty: number } | undefined {
  // A `6` is an accented o; a `?` between letters any letter the alphabet lacks (`estac?o`: ã).
  const bases = observed[at] === '6' ? ['o'] : ['o', 'a', 'c', 'e', 'n', 'u', 'i']
  for (const base of bases) {
    const asBase = observed.slice(0, at) + base + observed.slice(at + 1)
    const key = foldKey(asBase)
    const entry = /^[a-z]+$/.test(key) ? lexicon?.lookup(key) : undefined
    const form = entry?.forms.find((f) => hasDiacritic(f[at] ?? '') && foldChar(f[at]!) === base)
    if (form) return { replacement: applyCase(asBase, form), certainty: WORD_CERTAINTY.lookalike }
  }
  return undefined
}

function restoreWord(observed: string, start: number, line: EditableLine, lang: 'es' | 'pt', lexicon: Lexicon | undefined): { replacement: string; certainty: number } | undefined {
  // Two capitals are a code or an abbreviation (`PE`, `SO`, `NF`), not a word.
  if (observed.length <= 2 && observed === observed.toUpperCase()) return undefined
  const key = foldKey(observed)
  const entry = /^[a-z]+$/.test(key) && key.length === observed.length ? lexicon?.lookup(key) : undefined
  if (entry) {
    const lower = observed.toLowerCase()
    // A reading that is already one of the spellings stands.
    if (entry.forms.includes(lower)) return undefined
    const form = entry.forms.length === 1 ? entry.forms[0]! : choose(entry.forms, observed, start, line)
    const certainty = entry.forms.length > 1 ? WORD_CERTAINTY.chosen : entry.bareIsWord ? WORD_CERTAINTY.bareIsWord : WORD_CERTAINTY.unique
    return { replacement: applyCase(observed, form), certainty }
  }
  const map = LOOKALIKES[lang]
  let mapped = ''
  for (const ch of observed) mapped += map[ch] ?? map[ch.toLowerCase()]?.toUpperCase() ?? ch
  return mapped === observed ? undefined : { replacement: mapped, certainty: WORD_CERTAINTY.lookalike }
}

/** Head start of the lexicon's preferred spelling over the image evidence for another. */
const PREFERRED_BONUS = 0.5

/**
 * The spelling whose accented letters the recogniser saw signs of: at each accented letter of
 * a spelling, the same accented letter read there scores 1, another accent on the same base
 * letter 0.5 (the alphabet lacks ê, so ê reads as é), an accented runner-up of that base its
 * probability. The lexicon's preferred spelling starts {@link PREFERRED_BONUS} ahead; ties keep
 * the lexicon's order.
 */
function choose(forms: readonly string[], observed: string, start: number, line: EditableLine): string {
  let best = forms[0]!
  let bestScore = -1
  for (const [rank, form] of forms.entries()) {
    let score = rank === 0 ? PREFERRED_BONUS : 0
    for (let i = 0; i < form.length; i++) {
      const f = form[i]!
      if (!hasDiacritic(f)) continue
      const o = (observed[i] ?? '').toLowerCase()
      if (o === f) score += 1
      else if (hasDiacritic(o) && foldChar(o) === foldChar(f)) score += 0.5
      else
        for (const alt of line.alternativesAt(start + i)) {
          if (hasDiacritic(alt.char) && foldChar(alt.char) === foldChar(f)) score += alt.prob
        }
    }
    if (score > bestScore) {
      best = form
      bestScore = score
    }
  }
  return best
}
