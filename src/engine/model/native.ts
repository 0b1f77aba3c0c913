/**
 * Native code is loaded on first use, so `--help` and report-only commands never load it
 * (DESIGN.md; STYLE.md §4). Load failures are collected into one message with possible fixes.
 */
import { ModelError } from '../../common/errors.js'

export type SharpModule = typeof import('sharp')
export type OrtModule = typeof import('onnxruntime-node')

let sharpPromise: Promise<SharpModule> | undefined
let ortPromise: Promise<OrtModule> | undefined

function loadFailure(name: string, error: unknown, fixes: string[]): ModelError {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
  return new ModelError(
    'NATIVE_LOAD_FAILED',
    `Could not load ${name}: ${reason}\nPossible solutions:\n${fixes.map((f) => `- ${f}`).join('\n')}`,
    { cause: error },
  )
}

/** Loads sharp once. */
export function loadSharp(): Promise<SharpModule> {
  sharpPromise ??= import('sharp').then(
    (m) => ((m as unknown as { default?: SharpModule }).default ?? m) as SharpModule,
    (error: unknown) => {
      sharpPromise = undefined
      throw loadFailure('sharp', error, [
        'Reinstall with `npm ci` so npm fetches the prebuilt @img/sharp-* package for this platform.',
        'Check that optional dependencies are not disabled (`npm config get omit`).',
      ])
    },
  )
  return sharpPromise
}

/** Loads onnxruntime-node once. */
export function loadOrt(): Promise<OrtModule> {
  ortPromise ??= import('onnxruntime-node').then(
    (m) => ((m as unknown as { default?: OrtModule }).default ?? m) as OrtModule,
    (error: unknown) => {
      ortPromise = undefined
      throw loadFailure('onnxruntime-node', error, [
        'Reinstall with `npm ci`; the CPU binaries ship inside the onnxruntime-node package.',
        'Keep `onnxruntime-node-install=skip` in .npmrc: the install script must not download anything.',
        `This platform is ${process.platform}-${process.arch}; onnxruntime-node ships linux x64/arm64, darwin and win32 binaries.`,
      ])
    },
  )
  return ortPromise
}
