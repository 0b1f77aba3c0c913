/**
 * A small Hunspell reader for the lexicon generator: parses the affix rules of a `.aff` file and
 * expands every `.dic` entry into its word forms. It covers what `dictionary-es` and
 * `dictionary-pt` use (UTF-8 single-character flags, prefixes and suffixes with conditions,
 * cross products, continuation classes two levels deep, FORBIDDENWORD, NOSUGGEST, NEEDAFFIX);
 * compounding is not expanded. Generator-only code: the runtime never loads it.
 */

/** One affix entry: strip `strip` from the word's edge, then add `add`, if `condition` matches. */
export interface AffixEntry {
  strip: string
  add: string
  /** Flags of affixes that may follow this one (twofold affixes). */
  continuation: string[]
  /** Tested on the base word's edge before stripping; `undefined` matches anything. */
  condition: RegExp | undefined
}

/** An affix class (one flag). */
export interface AffixRule {
  kind: 'PFX' | 'SFX'
  /** Whether it combines with affixes of the other kind (`Y` in the header). */
  cross: boolean
  entries: AffixEntry[]
}

/** What the generator needs from a `.aff` file. */
export interface AffixFile {
  rules: Map<string, AffixRule>
  /** Flag of entries that are not words (FORBIDDENWORD). */
  forbidden: string | undefined
  /** Flag of valid words that a spell checker never suggests (NOSUGGEST). */
  noSuggest: string | undefined
  /** Flag of stems that are words only with an affix (NEEDAFFIX). */
  needAffix: string | undefined
}

/** A word form and how it was made. */
export interface WordForm {
  word: string
  /** The `.dic` entry itself (a headword), not a form made by an affix. */
  lemma: boolean
  /** Carries NOSUGGEST: a valid word the dictionary never proposes (rare or foreign). */
  noSuggest: boolean
  /**
   * For a headword: how many forms its affixes make. A rough stand-in for how common a word is
   * (the dictionaries carry no frequencies): `pão/AU` has many, the rare `paó/B` one.
   */
  family: number
}

/** Parses a UTF-8 `.aff` file with single-character flags (`FLAG UTF-8`). */
export function parseAff(text: string): AffixFile {
  const lines = text.split(/\r?\n/)
  const out: AffixFile = { rules: new Map(), forbidden: undefined, noSuggest: undefined, needAffix: undefined }
  for (let i = 0; i < lines.length; i++) {
    const parts = lines[i]!.trim().split(/\s+/)
    const [head, flag] = parts
    if (head === 'FLAG' && flag !== 'UTF-8') throw new Error(`Unsupported FLAG ${flag} at line ${i + 1}: only single UTF-8 character flags are read.`)
    if (head === 'FORBIDDENWORD') out.forbidden = flag
    if (head === 'NOSUGGEST') out.noSuggest = flag
    if (head === 'NEEDAFFIX') out.needAffix = flag
    if ((head !== 'PFX' && head !== 'SFX') || parts.length !== 4 || flag === undefined || !/^[YN]$/.test(parts[2]!)) continue
    const count = Number(parts[3])
    const rule: AffixRule = { kind: head, cross: parts[2] === 'Y', entries: [] }
    for (let j = 1; j <= count; j++) {
      const entry = (lines[i + j] ?? '').trim().split(/\s+/)
      if (entry[0] !== head || entry[1] !== flag || entry.length < 4) throw new Error(`Malformed ${head} ${flag} entry at line ${i + j + 1}.`)
      const [addRaw = '', cont = ''] = entry[3]!.split('/')
      const cond = entry[4] ?? '.'
      rule.entries.push({
        strip: entry[2] === '0' ? '' : entry[2]!,
        add: addRaw === '0' ? '' : addRaw,
        continuation: [...cont],
        condition: cond === '.' ? undefined : new RegExp(head === 'SFX' ? `${cond}$` : `^${cond}`, 'u'),
      })
    }
    out.rules.set(flag, rule)
    i += count
  }
  return out
}

/** Applies one affix class to `word`, following continuation classes up to `depth` more levels. */
function applyRule(word: string, rule: AffixRule, aff: AffixFile, depth: number, out: string[]): void {
  for (const e of rule.entries) {
    if (e.condition && !e.condition.test(word)) continue
    let next: string
    if (rule.kind === 'SFX') {
      if (!word.endsWith(e.strip)) continue
      next = word.slice(0, word.length - e.strip.length) + e.add
    } else {
      if (!word.startsWith(e.strip)) continue
      next = e.add + word.slice(e.strip.length)
    }
    if (next.length === 0) continue
    out.push(next)
    if (depth > 0) for (const c of e.continuation) {
      const r = aff.rules.get(c)
      if (r) applyRule(next, r, aff, depth - 1, out)
    }
  }
}

/**
 * Every form of every entry of a `.dic` file (first line: the entry count). Entries with a space
 * (multi-word expressions) and FORBIDDENWORD entries are skipped; forms may repeat.
 */
export function* expandDic(dicText: string, aff: AffixFile): Generator<WordForm> {
  const lines = dicText.split(/\r?\n/)
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === '' || /\s/.test(line)) continue
    const slash = line.indexOf('/')
    const word = slash < 0 ? line : line.slice(0, slash)
    const flags = slash < 0 ? [] : [...line.slice(slash + 1)]
    if (aff.forbidden !== undefined && flags.includes(aff.forbidden)) continue
    const noSuggest = aff.noSuggest !== undefined && flags.includes(aff.noSuggest)
    const derived: string[] = []
    const crossSuffixed: string[] = []
    for (const flag of flags) {
      const rule = aff.rules.get(flag)
      if (!rule) continue
      const forms: string[] = []
      applyRule(word, rule, aff, 1, forms)
      derived.push(...forms)
      if (rule.kind === 'SFX' && rule.cross) crossSuffixed.push(...forms)
    }
    // Cross products: a prefix that combines applies to the forms of suffixes that combine.
    for (const flag of flags) {
      const rule = aff.rules.get(flag)
      if (rule?.kind === 'PFX' && rule.cross) for (const s of crossSuffixed) applyRule(s, rule, aff, 0, derived)
    }
    if (aff.needAffix === undefined || !flags.includes(aff.needAffix)) yield { word, lemma: true, noSuggest, family: derived.length }
    for (const f of derived) yield { word: f, lemma: false, noSuggest, family: 0 }
  }
}
