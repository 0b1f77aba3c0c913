/**
 * `/proc/<pid>/smaps_rollup` (Linux ≥ 4.14): the process's mappings summed by the kernel. It is
 * where PSS (shared pages divided among their sharers) and private memory come from; a child
 * forked from a big parent shares pages that RSS counts in full in both.
 */
import { ProcFields } from './proc-fields.js'

const PSS = 0
const PRIVATE_CLEAN = 1
const PRIVATE_DIRTY = 2

/** Creates a reusable parser for the `smaps_rollup` keys memgate reads. */
export function createSmapsFields(): ProcFields {
  return new ProcFields(['Pss', 'Private_Clean', 'Private_Dirty'])
}

/** `Pss` in bytes from the last parse, or `null`. */
export function pssBytesOf(fields: ProcFields): number | null {
  return fields.get(PSS)
}

/** `Private_Clean + Private_Dirty` in bytes from the last parse; `null` unless both were read. */
export function privateBytesOf(fields: ProcFields): number | null {
  const clean = fields.get(PRIVATE_CLEAN)
  const dirty = fields.get(PRIVATE_DIRTY)
  return clean === null || dirty === null ? null : clean + dirty
}
