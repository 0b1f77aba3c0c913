/**
 * Text accuracy metrics for OCR output against ground truth: character error rate (CER) and
 * word-level F1. Whitespace runs are folded first: layout spacing is not what we measure.
 */

/** Folds runs of spaces/tabs to one space and trims each line; keeps line breaks. */
export function normalizeWhitespace(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((l) => l.length > 0)
    .join('\n')
}

/**
 * Levenshtein distance over Unicode code points, O(min(n, m)) memory.
 * @example levenshtein('kitten', 'sitting') // 3
 */
export function levenshtein(a: string, b: string): number {
  const s = Array.from(a)
  const t = Array.from(b)
  if (s.length < t.length) return levenshteinArrays(t, s)
  return levenshteinArrays(s, t)
}

function levenshteinArrays(s: string[], t: string[]): number {
  // t is the shorter: one row of |t| + 1 cells.
  const row = new Uint32Array(t.length + 1)
  for (let j = 0; j <= t.length; j++) row[j] = j
  for (let i = 1; i <= s.length; i++) {
    let diag = row[0]!
    row[0] = i
    for (let j = 1; j <= t.length; j++) {
      const up = row[j]!
      const cost = s[i - 1] === t[j - 1] ? 0 : 1
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + cost)
      diag = up
    }
  }
  return row[t.length]!
}

/**
 * Character error rate: edit distance / reference length, after whitespace folding.
 * Line breaks count as one character each. 0 for two empty texts; 1 for an empty reference with output.
 */
export function characterErrorRate(reference: string, hypothesis: string): number {
  const ref = normalizeWhitespace(reference)
  const hyp = normalizeWhitespace(hypothesis)
  const n = Array.from(ref).length
  if (n === 0) return hyp.length === 0 ? 0 : 1
  return levenshtein(ref, hyp) / n
}

/** Word-level precision, recall and F1 over multisets of whitespace-separated tokens. */
export function wordF1(reference: string, hypothesis: string): { precision: number; recall: number; f1: number } {
  const count = (text: string) => {
    const m = new Map<string, number>()
    for (const w of text.split(/\s+/)) if (w) m.set(w, (m.get(w) ?? 0) + 1)
    return m
  }
  const ref = count(reference)
  const hyp = count(hypothesis)
  let matched = 0
  let refTotal = 0
  let hypTotal = 0
  for (const [w, n] of ref) {
    refTotal += n
    matched += Math.min(n, hyp.get(w) ?? 0)
  }
  for (const n of hyp.values()) hypTotal += n
  const precision = hypTotal === 0 ? (refTotal === 0 ? 1 : 0) : matched / hypTotal
  const recall = refTotal === 0 ? 1 : matched / refTotal
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1 }
}
