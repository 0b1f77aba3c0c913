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
 * Decodes one sequence. `probs` holds `steps × classes` floats starting at `offset`.
 * `alternatives` is how many runner-up classes to keep per character (0 for none).
 *
 * `spaceThreshold`: PP-OCRv4's Chinese recogniser under-reads spaces between Latin words
 * (PaddleOCR #11386; the maintainers call it a known defect of the general model). In the blank
 * steps between two characters the space class still rises well above its background (measured:
 * 0.05–0.5 in word gaps, under 0.005 elsewhere), so a gap whose best space probability reaches the
 * threshold is read as a space. `Infinity` (or 1) gives plain greedy decoding.
 */
export function ctcGreedyDecode(
  probs: Float32Array,
  offset: number,
  steps: number,
  labels: readonly string[],
  alternatives = 2,
  spaceThreshold = Infinity,
): DecodedText {
  const classes = labels.length
  const space = labels[classes - 1] === ' ' ? classes - 1 : -1
  const chars: DecodedChar[] = []
  let text = ''
  let sum = 0
  let kept = 0
  let previous = -1
  // Highest space probability over the blank steps since the last kept character, and where.
  let gapSpace = 0
  let gapStep = -1
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes
    let best = 0
    let bestProb = probs[base]!
    for (let c = 1; c < classes; c++) {
      const p = probs[base + c]!
      if (p > bestProb) {
        bestProb = p
        best = c
      }
    }
    if (best === 0 && space >= 0 && probs[base + space]! > gapSpace) {
      gapSpace = probs[base + space]!
      gapStep = t
    }
    if (best !== 0 && best !== previous) {
      const lastChar = chars.at(-1)?.char
      if (best !== space && lastChar !== undefined && lastChar !== ' ' && gapSpace >= spaceThreshold) {
        text += ' '
        chars.push({ char: ' ', prob: gapSpace, step: gapStep, alternatives: [] })
      }
      gapSpace = 0
      const char = labels[best]!
      text += char
      sum += bestProb
      kept++
      chars.push({ char, prob: bestProb, step: t, alternatives: alternatives > 0 ? runnersUp(probs, base, classes, best, alternatives, labels) : [] })
    }
    previous = best
  }
  // Spaces read from gaps are not the model's choice and do not count towards confidence.
  return { text, confidence: kept === 0 ? 0 : sum / kept, chars }
}

/** The `k` most probable classes at one step other than `exclude`, best first. */
function runnersUp(probs: Float32Array, base: number, classes: number, exclude: number, k: number, labels: readonly string[]): CharCandidate[] {
  const idx = new Int32Array(k).fill(-1)
  const val = new Float32Array(k).fill(-1)
  for (let c = 0; c < classes; c++) {
    if (c === exclude) continue
    const p = probs[base + c]!
    if (p <= val[k - 1]!) continue
    let j = k - 1
    while (j > 0 && p > val[j - 1]!) {
      val[j] = val[j - 1]!
      idx[j] = idx[j - 1]!
      j--
    }
    val[j] = p
    idx[j] = c
  }
  const out: CharCandidate[] = []
  for (let j = 0; j < k; j++) if (idx[j]! >= 0) out.push({ char: labels[idx[j]!]!, prob: val[j]! })
  return out
}
