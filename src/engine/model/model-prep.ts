/**
 * A model's bytes as its session gets them: read once, folded (`foldGraphs`, see onnx-fold.ts)
 * and, for the recogniser, with top-k outputs appended (rec-model.ts). The file on disk is never
 * changed, and a model these readers cannot parse goes to ONNX Runtime as it is, so its own
 * error (MODEL_CORRUPT) names the problem.
 */
import { readFile } from 'node:fs/promises'
import { ModelError, toError } from '../../common/errors.js'
import { foldModel, type FoldReport } from './onnx-fold.js'
import { concat } from './onnx-proto.js'
import { topKTailFor } from './rec-model.js'

/** What a session is created from, and what was changed. */
export interface PreparedModel {
  bytes: Uint8Array
  /** The folds applied; null when folding was off or nothing matched. */
  folds: FoldReport | null
}

/** Reads `path` and applies the requested in-memory changes, copying the model at most once. */
export async function prepareModel(path: string, changes: { fold: boolean; topK?: { k: number; spaceIndex: number } }): Promise<PreparedModel> {
  let original: Uint8Array
  try {
    original = await readFile(path)
  } catch (error) {
    throw new ModelError('MODEL_MISSING', `Cannot read the model ${path}: ${toError(error).message}. Check that the file still exists and is readable.`, { cause: error })
  }
  const tail = changes.topK ? topKTailFor(original, changes.topK.k, changes.topK.spaceIndex) : undefined
  if (changes.fold) {
    let folded: ReturnType<typeof foldModel> = null
    try {
      folded = foldModel(original, tail)
    } catch {
      // Not a protobuf this reader understands: ONNX Runtime judges the original.
    }
    if (folded) return { bytes: folded.bytes, folds: folded.report }
  }
  return { bytes: tail ? concat([original, tail]) : original, folds: null }
}
