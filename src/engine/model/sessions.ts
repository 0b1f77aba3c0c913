/**
 * ONNX Runtime sessions. The options that move memory (arena, memory pattern, threads, graph
 * optimisation) come from the resolved engine options and are recorded as used, so a run's
 * figures can be tied to the settings that produced them.
 */
import { ModelError, toError } from '../../common/errors.js'
import type { OrtModule } from './native.js'
import type { ModelFileInfo } from './models.js'
import type { ResolvedEngineOptions } from '../options.js'

/** The ONNX Runtime session options the engine sets, as passed to every session. */
export interface SessionSettings {
  enableCpuMemArena: boolean
  enableMemPattern: boolean
  /** 0 = ONNX Runtime's choice (one thread per physical core). */
  intraOpNumThreads: number
  /** 0 = ONNX Runtime's choice. */
  interOpNumThreads: number
  /** Worker threads busy-wait between operators. */
  allowSpinning: boolean
  executionMode: 'sequential' | 'parallel'
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all'
}

/** Picks the session settings out of resolved engine options. */
export function sessionSettings(o: ResolvedEngineOptions): SessionSettings {
  return {
    enableCpuMemArena: o.enableCpuMemArena,
    enableMemPattern: o.enableMemPattern,
    intraOpNumThreads: o.intraOpNumThreads,
    interOpNumThreads: o.interOpNumThreads,
    allowSpinning: o.allowSpinning,
    executionMode: o.executionMode,
    graphOptimizationLevel: o.graphOptimizationLevel,
  }
}

/** A session: ONNX Runtime's handle. */
export type Session = import('onnxruntime-node').InferenceSession

/**
 * Creates a CPU session for a checked model file, or for `bytes` derived from it (model-prep.ts:
 * folded, the recogniser with top-k outputs); a model ORT cannot load is `MODEL_CORRUPT`.
 */
export async function createSession(ort: OrtModule, model: ModelFileInfo, settings: SessionSettings, bytes?: Uint8Array): Promise<Session> {
  try {
    const { allowSpinning, ...options } = settings
    const spin = allowSpinning ? '1' : '0'
    const sessionOptions: import('onnxruntime-node').InferenceSession.SessionOptions = {
      ...options,
      // Session config entries (onnxruntime_session_options_config_keys.h), strings in Node.
      extra: { session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } } },
      executionProviders: ['cpu'],
      // Warnings (e.g. about unused initialisers) would reach the user's stderr on every open.
      logSeverityLevel: 3,
    }
    return await (bytes ? ort.InferenceSession.create(bytes, sessionOptions) : ort.InferenceSession.create(model.path, sessionOptions))
  } catch (error) {
    const fix = model.verified === 'manifest' ? 'Reinstall the dependencies with `npm ci`.' : `Check the models.${model.role} path in the engine options.`
    throw new ModelError('MODEL_CORRUPT', `ONNX Runtime could not load the ${model.role} model ${model.path}: ${toError(error).message.split('\n')[0]}. ${fix}`, { cause: error })
  }
}
