/** Formatting and validation shared by commands (commands never import one another). */
import { UsageError } from '../common/errors.js'
import { formatBytes, MiB } from '../common/units.js'
import type { OutStream } from './io.js'

/**
 * Validates a count flag.
 * @param argv the command line, to quote what was typed when it did not parse as a number
 *   (yargs hands over NaN for `--top abc`)
 */
export function positiveInteger(value: number, flag: string, allowZero = false, argv?: readonly string[]): number {
  if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) {
    const typed = argv && flag.startsWith('-') ? rawFlagValue(argv, flag) : undefined
    const received = typed !== undefined && typed !== String(value) ? `'${typed}'` : String(value)
    throw new UsageError(`Expected ${allowZero ? 'a non-negative' : 'a positive'} integer for ${flag} but received ${received}`)
  }
  return value
}

/** The text given for `flag` on a command line (`--top abc` or `--top=abc`), the last one when repeated. */
export function rawFlagValue(argv: readonly string[], flag: string): string | undefined {
  let found: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') break
    if (a === flag && i + 1 < argv.length) found = argv[i + 1]
    else if (a.startsWith(`${flag}=`)) found = a.slice(flag.length + 1)
  }
  return found
}

/** Formats a count with thousands separators: `100,000`. */
export function formatCount(n: number, signed = false): string {
  return `${signed && n > 0 ? '+' : ''}${n.toLocaleString('en-US')}`
}

/** Files smaller than this parse in about a second: no progress line. */
const PROGRESS_MIN_BYTES = 64 * MiB

/**
 * A live "reading X: 42%" line on stderr for big files, only when stderr is a terminal
 * (a CI log would get hundreds of lines).
 */
export function progressPrinter(stderr: OutStream): { update: (path: string, read: number, total: number) => void; done: () => void } {
  let shown = false
  let lastPercent = -1
  return {
    update(path, read, total) {
      if (!stderr.isTTY || total < PROGRESS_MIN_BYTES) return
      const percent = Math.floor((read / total) * 100)
      if (percent === lastPercent) return
      lastPercent = percent
      shown = true
      stderr.write(`\rreading ${path}: ${percent}% of ${formatBytes(total)}\u001b[K`)
    },
    done() {
      if (shown) stderr.write('\r\u001b[K')
      shown = false
    },
  }
}
