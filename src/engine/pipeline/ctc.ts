/**
 * CTC greedy decoding of the recogniser's per-step class probabilities, as PaddleOCR's
 * `CTCLabelDecode`: best class per time step, merge repeats, drop blanks (class 0). Each kept
 * character carries its probability and the next-best classes at the same step, so later stages
 * (dictionary correction, diacritics the model's alphabet lacks) can revisit doubtful characters.
 */

/**
 * Class labels of a PaddleOCR dictionary: index 0 is the CTC blank, then one label per line of
 * the keys file, then a space (`use_space_char`).
 */
export function parseDictionary(keysText: string): string[] {
  const lines = keysText.split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  return ['', ...lines, ' ']
}

/** One alternative reading of a character position. */
export interface CharCandidate {
  char: string
  /** Softmax probability at that time step, 0..1. */
  prob: number
}

/** A decoded character with its evidence. */
export interface DecodedChar {
  char: string
  /** Probability of the chosen class at its first time step, 0..1. */
  prob: number
  /** Time step (output column) where the character starts. */
  step: number
  /** The next most probable classes at that step, best first (blank shown as `''`). */
  alternatives: CharCandidate[]
}

/** A decoded line. */
export interface DecodedText {
  text: string
  /** Mean probability of the characters the model chose; 0 when nothing was read (PaddleOCR's rule). */
  confidence: number
  chars: DecodedChar[]
}

/**
 * The recogniser's output for one sequence, reduced to what decoding needs: per time step the
 * `k` best classes (best first) with their probabilities, and the space class's probability.
 * Element `t * k + j` is step `t`'s j-th best.
 */
export interface TopKSteps {
  steps: number
  k: number
  values: Float32Array
  indices: Int32Array
  /** Probability of the space class per step (zeros when the dictionary has no space). */
  space: Float32Array
}

/**
 * Greedy CTC decoding from the per-step top-k: the best class of each step, repeats merged,
 * blanks dropped; the other `k - 1` classes become each character's alternatives.
 *
 * `spaceThreshold`: PP-OCRv4's Chinese recogniser under-reads spaces between Latin words
 * (PaddleOCR #11386; the maintainers call it a known defect of the general model). In the blank
 * steps between two characters the space class still rises well above its background (measured:
 * 0.05–0.5 in word gaps, under 0.005 elsewhere), so a gap whose best space probability reaches the
 * threshold is read as a space. `Infinity` (or 1) gives plain greedy decoding.
 */
export function ctcDecodeTopK(top: TopKSteps, labels: readonly string[], spaceThreshold = Infinity): DecodedText {
  const space = labels[labels.length - 1] === ' ' ? labels.length - 1 : -1
  const { k, values, indices } = top
  const chars: DecodedChar[] = []
  let text = ''
  let sum = 0
  let kept = 0
  let previous = -1
  // Highest space probability over the blank steps since the last kept character, and where.
  let gapSpace = 0
  let gapStep = -1
  for (let t = 0; t < top.steps; t++) {
    const best = indices[t * k]!
    const bestProb = values[t * k]!
    if (best === 0 && top.space[t]! > gapSpace) {
      gapSpace = top.space[t]!
      gapStep = t
    }
    if (best !== 0 && best !== previous) {
      const lastChar = chars.at(-1)?.char
      if (best !== space && lastChar !== undefined && lastChar !== ' ' && gapSpace >= spaceThreshold) {
        text += ' '
        chars.push({ char: ' ', prob: gapSpace, step: gapStep, alternatives: [] })
      }
      gapSpace = 0
      const char = labels[best] ?? ''
      text += char
      sum += bestProb
      kept++
      const alternatives: CharCandidate[] = []
      for (let j = 1; j < k; j++) alternatives.push({ char: labels[indices[t * k + j]!] ?? '', prob: values[t * k + j]! })
      chars.push({ char, prob: bestProb, step: t, alternatives })
    }
    previous = best
  }
  // Spaces read from gaps are not the model's choice and do not count towards confidence.
  return { text, confidence: kept === 0 ? 0 : sum / kept, chars }
}

/**
 * Reduces full softmax output (`steps × classes` floats from `offset`) to {@link TopKSteps}, for
 * recognition models whose graph could not be given top-k outputs.
 */
export function topKFromProbs(probs: Float32Array, offset: number, steps: number, classes: number, k: number, spaceIndex: number): TopKSteps {
  const values = new Float32Array(steps * k).fill(-1)
  const indices = new Int32Array(steps * k).fill(0)
  const space = new Float32Array(steps)
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes
    const o = t * k
    for (let c = 0; c < classes; c++) {
      const p = probs[base + c]!
      if (p <= values[o + k - 1]!) continue
      let j = k - 1
      while (j > 0 && p > values[o + j - 1]!) {
        values[o + j] = values[o + j - 1]!
        indices[o + j] = indices[o + j - 1]!
        j--
      }
      values[o + j] = p
      indices[o + j] = c
    }
    if (spaceIndex >= 0) space[t] = probs[base + spaceIndex]!
  }
  return { steps, k, values, indices, space }
}

/**
 * Decodes one sequence of full softmax output. `alternatives` runner-up classes are kept per
 * character; see {@link ctcDecodeTopK} for `spaceThreshold`.
 */
export function ctcGreedyDecode(probs: Float32Array, offset: number, steps: number, labels: readonly string[], alternatives = 2, spaceThreshold = Infinity): DecodedText {
  const spaceIndex = labels[labels.length - 1] === ' ' ? labels.length - 1 : -1
  return ctcDecodeTopK(topKFromProbs(probs, offset, steps, labels.length, alternatives + 1, spaceIndex), labels, spaceThreshold)
}
