/**
 * The restoration lexicon: folded word → the accented spellings it may stand for. Stored as
 * front-coded blocks of {@link BLOCK_SIZE} entries (each entry after a block's first keeps only
 * what differs from the previous one) and searched in place in the decompressed bytes, so
 * Portuguese's ~760,000 entries cost one ~4.7 MB buffer outside the JS heap instead of a Map of
 * ~100 MB; a look-up decodes one block.
 *
 * Format (UTF-8): line 1 a JSON {@link LexiconHeader}; then one line per block, its entries
 * separated by a tab, all sorted by folded key. An entry is `form(|form)*` with an optional
 * trailing `~`; all forms of an entry fold to the same key; the first form is preferred. `~`
 * marks keys whose bare spelling is also a word (an inflected form or a name). Each entry is
 * written as one character `chr(48 + n)` (n = characters shared with the previous entry of its
 * block, 0 for a block's first) followed by the rest.
 */
import { foldKey } from './fold.js'

/** Entries per front-coding block: a look-up decodes at most this many. @default 32 */
export const BLOCK_SIZE = 32

/** Longest shared prefix the one-character prefix code can express. */
const MAX_SHARED = 60

/** Line 1 of a lexicon file: what it is and where its words come from. */
export interface LexiconHeader {
  format: 'memgate-latin-lexicon'
  version: 1
  lang: string
  /** Source packages with version and licence, and curated lists. */
  sources: readonly { name: string; version: string; license: string; /** Of the input files, hex. */ sha256: string }[]
  entries: number
  blockSize: number
}

/** A lexicon hit (shared between look-ups: read-only). */
export interface LexiconEntry {
  /** Accented spellings (lower case), preferred first. */
  readonly forms: readonly string[]
  /** The bare folded spelling is a word too (an inflected form or a name). */
  readonly bareIsWord: boolean
}

/** Look-ups remembered per lexicon (words repeat on a page and across pages). @default 4096 */
const MEMO_SIZE = 4096

/** Serialises entries (already sorted by folded key) with a header. Used by the generator. */
export function encodeLexicon(header: Omit<LexiconHeader, 'entries' | 'blockSize'>, entries: readonly LexiconEntry[]): string {
  const full: LexiconHeader = { ...header, entries: entries.length, blockSize: BLOCK_SIZE }
  const blocks: string[][] = []
  let previous = ''
  let previousKey = ''
  entries.forEach((entry, i) => {
    const key = foldKey(entry.forms[0] ?? '')
    if (entry.forms.some((f) => f.includes('|') || f.includes('\t') || foldKey(f) !== key)) throw new Error(`Lexicon entry ${entry.forms.join('|')} mixes keys or holds a separator.`)
    if (i > 0 && key <= previousKey) throw new Error(`Lexicon entries must be sorted by unique folded key: "${key}" follows "${previousKey}".`)
    const text = entry.forms.join('|') + (entry.bareIsWord ? '~' : '')
    let shared = 0
    if (i % BLOCK_SIZE === 0) blocks.push([])
    else while (shared < MAX_SHARED && shared < previous.length && shared < text.length && previous[shared] === text[shared]) shared++
    blocks.at(-1)!.push(String.fromCharCode(48 + shared) + text.slice(shared))
    previous = text
    previousKey = key
  })
  return [JSON.stringify(full), ...blocks.map((b) => b.join('\t'))].join('\n') + '\n'
}

/** A parsed lexicon, searched in place. */
export class Lexicon {
  private constructor(
    readonly header: LexiconHeader,
    private readonly bytes: Uint8Array,
    /** Byte offset of each block's line, plus one past the last block's newline. */
    private readonly blocks: Uint32Array,
    /** Folded key of each block's first entry. */
    private readonly heads: string[],
  ) {}

  /** Parses decompressed lexicon bytes; throws an Error naming `source` when they are not one. */
  static parse(bytes: Uint8Array, source: string): Lexicon {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const firstBreak = buf.indexOf(10)
    let header: LexiconHeader
    try {
      header = JSON.parse(buf.toString('utf8', 0, firstBreak)) as LexiconHeader
    } catch (error) {
      throw new Error(`${source} does not start with a lexicon header line.`, { cause: error })
    }
    if (header.format !== 'memgate-latin-lexicon' || header.version !== 1 || header.blockSize !== BLOCK_SIZE) {
      throw new Error(`${source} is not a version 1 memgate-latin-lexicon with block size ${BLOCK_SIZE}.`)
    }
    const blockCount = Math.ceil(header.entries / BLOCK_SIZE)
    const blocks = new Uint32Array(blockCount + 1)
    const heads: string[] = []
    let offset = firstBreak + 1
    for (let b = 0; b < blockCount; b++) {
      const end = buf.indexOf(10, offset)
      if (end < 0) throw new Error(`${source} ends after ${b} of ${blockCount} blocks.`)
      blocks[b] = offset
      const tab = buf.indexOf(9, offset)
      heads.push(foldKey(firstForm(buf.toString('utf8', offset + 1, tab >= 0 && tab < end ? tab : end))))
      offset = end + 1
    }
    blocks[blockCount] = offset
    if (offset !== buf.length) throw new Error(`${source} has ${buf.length - offset} bytes after its ${blockCount} blocks: its header's entry count is wrong.`)
    return new Lexicon(header, bytes, blocks, heads)
  }

  /** Number of entries. */
  get size(): number {
    return this.header.entries
  }

  /** Bytes held (the decompressed file). */
  get byteLength(): number {
    return this.bytes.byteLength
  }

  /** Recent look-ups, hits and misses; cleared when full (simpler than an LRU, same effect here). */
  private readonly memo = new Map<string, LexiconEntry | null>()

  /** The entry for a folded key (`a-z` only), if any. */
  lookup(key: string): LexiconEntry | undefined {
    const known = this.memo.get(key)
    if (known !== undefined) return known ?? undefined
    const found = this.search(key)
    if (this.memo.size >= MEMO_SIZE) this.memo.clear()
    this.memo.set(key, found ?? null)
    return found
  }

  private search(key: string): LexiconEntry | undefined {
    // Last block whose first key is <= key.
    let lo = 0
    let hi = this.heads.length - 1
    if (hi < 0 || key < this.heads[0]!) return undefined
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.heads[mid]! <= key) lo = mid
      else hi = mid - 1
    }
    const line = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.blocks[lo]!, this.blocks[lo + 1]! - this.blocks[lo]! - 1).toString('utf8')
    let previous = ''
    for (const coded of line.split('\t')) {
      const entry = previous.slice(0, coded.charCodeAt(0) - 48) + coded.slice(1)
      const entryKey = foldKey(firstForm(entry))
      if (entryKey === key) return parseEntry(entry)
      if (entryKey > key) return undefined
      previous = entry
    }
    return undefined
  }
}

function firstForm(entry: string): string {
  const bar = entry.indexOf('|')
  const raw = bar < 0 ? entry : entry.slice(0, bar)
  return raw.endsWith('~') ? raw.slice(0, -1) : raw
}

function parseEntry(entry: string): LexiconEntry {
  const bareIsWord = entry.endsWith('~')
  return { forms: (bareIsWord ? entry.slice(0, -1) : entry).split('|'), bareIsWord }
}
