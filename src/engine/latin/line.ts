/**
 * An editable recognised line: one cell per UTF-16 unit with the probability the recogniser gave
 * it, so every restoration step can edit text by string index and the line's confidence stays
 * the mean of its characters' probabilities. A character a rule writes gets the rule's certainty
 * (capped by the probability of the character it replaces): a restored line is never more sure
 * than the evidence behind it.
 */

/** A runner-up class the recogniser considered for a character. */
export interface CharAlternative {
  char: string
  /** Probability, 0..1. */
  prob: number
}

/** Per-character evidence from the recogniser (the engine's CTC decoder gives this). */
export interface CharEvidence {
  char: string
  /** Probability of the chosen class, 0..1. */
  prob: number
  /** Next-best classes at the same time step, best first. */
  alternatives?: readonly CharAlternative[]
}

interface Cell {
  ch: string
  prob: number
  alternatives: readonly CharAlternative[]
}

const NONE: readonly CharAlternative[] = []

/** A line being restored. */
export class EditableLine {
  private cells: Cell[]
  /** Characters written or removed by rules so far. */
  changes = 0

  /**
   * Per-character probabilities come from `chars` when they spell `text`; otherwise every
   * character gets the line's mean `confidence`.
   */
  constructor(text: string, confidence: number, chars?: readonly CharEvidence[]) {
    const usable = chars !== undefined && chars.map((c) => c.char).join('') === text
    // One cell per UTF-16 unit, so cell indices are string indices.
    this.cells = usable
      ? chars.flatMap((c) => c.char.split('').map((ch) => ({ ch, prob: c.prob, alternatives: c.alternatives ?? NONE })))
      : text.split('').map((ch) => ({ ch, prob: confidence, alternatives: NONE }))
  }

  /** Cached `text`; rules read it far more often than they edit. */
  private joined: string | undefined

  /** The current text. */
  get text(): string {
    if (this.joined === undefined) {
      let s = ''
      for (const c of this.cells) s += c.ch
      this.joined = s
    }
    return this.joined
  }

  /** Mean character probability; 0 for an empty line (the recogniser's rule). */
  get confidence(): number {
    if (this.cells.length === 0) return 0
    let sum = 0
    for (const c of this.cells) sum += c.prob
    return sum / this.cells.length
  }

  /** Runner-up classes recorded for the character at `index`. */
  alternativesAt(index: number): readonly CharAlternative[] {
    return this.cells[index]?.alternatives ?? NONE
  }

  /**
   * Replaces `text.slice(start, end)` by `replacement`. Characters kept at the start and end
   * of the span keep their cells; the rest get probability `certainty` (capped by the cell they
   * replace) and count as changes.
   */
  replace(start: number, end: number, replacement: string, certainty: number): void {
    const old = this.cells.slice(start, end)
    let head = 0
    while (head < old.length && head < replacement.length && old[head]!.ch === replacement[head]) head++
    let tail = 0
    while (tail < old.length - head && tail < replacement.length - head && old[old.length - 1 - tail]!.ch === replacement[replacement.length - 1 - tail]) tail++
    const middleOld = old.slice(head, old.length - tail)
    const middleNew = replacement.slice(head, replacement.length - tail)
    if (middleOld.length === 0 && middleNew.length === 0) return
    const fresh: Cell[] = middleNew.split('').map((ch, i) => {
      const replaced = middleOld[i]
      return { ch, prob: Math.min(replaced?.prob ?? certainty, certainty), alternatives: NONE }
    })
    this.cells.splice(start + head, middleOld.length, ...fresh)
    this.joined = undefined
    this.changes += Math.max(middleOld.length, middleNew.length)
  }
}
