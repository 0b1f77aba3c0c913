/**
 * The OCR engine: open (options → models → sessions), recognise images one at a time, close.
 * Pages are processed strictly one after another, even when callers overlap calls, so memory is
 * bounded by one page whatever the caller does.
 */
import { readFile } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { MemgateError, ModelError, toError } from '../common/errors.js'
import { parseDictionary } from './pipeline/ctc.js'
import { decodeImage } from './decode/decode.js'
import { extractFields } from './fields/index.js'
import { restoreLatin } from './latin/index.js'
import { type ModelFileInfo, type ModelRole, resolveModelFiles } from './model/models.js'
import { loadSharpFactory, type SharpFactory } from './decode/decode-sharp.js'
import { loadOrt } from './model/native.js'
import { type EngineOptions, resolveEngineOptions, type ResolvedEngineOptions } from './options.js'
import { pageText, type PipelineContext, readLines, type RecognizedLine, toOcrLine } from './pipeline/pipeline.js'
import { checkClasses, REC_TOP_K } from './pipeline/rec.js'
import { prepareModel } from './model/model-prep.js'
import { createSession, type Session, sessionSettings } from './model/sessions.js'
import { collectSettings, type EngineSettings } from './settings.js'
import type { ImageInput, OcrItem, OcrResult } from './types.js'

/** An OCR result with the per-line evidence (character probabilities, runner-up characters). */
export interface DetailedOcrResult extends OcrResult {
  /** Same order as `lines`. */
  details: RecognizedLine[]
}

/** An open OCR engine. Create with {@link openEngine}; call `close()` when done. */
export interface OcrEngine {
  /**
   * Reads one image. Throws `InputError` (`INPUT_*`) for unusable input and `ModelError`
   * (`ENGINE_CLOSED`) after `close()`. An image without text gives an empty result.
   */
  recognize(input: ImageInput): Promise<OcrResult>
  /** Like `recognize`, plus per-character probabilities and runner-up characters of every line. */
  recognizeDetailed(input: ImageInput): Promise<DetailedOcrResult>
  /**
   * Reads images lazily, in input order: the next input is pulled only after the previous item
   * was yielded. A failing input yields `{ ok: false, error }` and the sequence goes on.
   */
  recognizeMany<T extends ImageInput>(inputs: Iterable<T> | AsyncIterable<T>): AsyncGenerator<OcrItem<T>>
  /** The effective native settings (still available after `close()`). */
  settings(): EngineSettings
  /** Waits for work in progress, then releases the ONNX Runtime sessions. Idempotent. */
  close(): Promise<void>
}

function applySharpSettings(sharp: SharpFactory, options: ResolvedEngineOptions): void {
  const cache = options.sharpCache
  if (typeof cache === 'boolean') sharp.cache(cache)
  else sharp.cache({ memory: cache.memoryBytes / (1024 * 1024), files: cache.files, items: cache.items })
  if (options.sharpConcurrency !== undefined) sharp.concurrency(options.sharpConcurrency)
}

function closedError(): ModelError {
  return new ModelError('ENGINE_CLOSED', 'This OCR engine was closed; its models are released. Open a new engine with openEngine() to read more images.')
}

/**
 * Opens an engine: validates options (`resolveEngineOptions`), applies sharp's cache and
 * concurrency, verifies the model files and creates the ONNX Runtime sessions.
 * @throws ConfigError for invalid options; ModelError `MODEL_MISSING`/`MODEL_CORRUPT`/`NATIVE_LOAD_FAILED`.
 * @example
 * const engine = await openEngine({ profile: 'lean' })
 * try { console.log((await engine.recognize('invoice.png')).text) } finally { await engine.close() }
 */
export async function openEngine(options: EngineOptions = {}): Promise<OcrEngine> {
  const resolved = resolveEngineOptions(options)
  const [ort, sharp] = await Promise.all([loadOrt(), loadSharpFactory()])
  applySharpSettings(sharp, resolved)
  const roles: ModelRole[] = resolved.angleClassifier ? ['det', 'rec', 'cls', 'keys'] : ['det', 'rec', 'keys']
  const files = await resolveModelFiles(resolved.models, roles)
  const file = (role: ModelRole): ModelFileInfo => {
    const f = files[role]
    if (!f) throw new MemgateError('INTERNAL', `Model file for ${role} was not resolved`)
    return f
  }
  const keys = file('keys')
  const labels = parseDictionary(await readFile(keys.path, 'utf8'))
  const session = sessionSettings(resolved)
  const opened: Session[] = []
  const folds: EngineSettings['modelFolds'] = { det: null, rec: null, cls: null }
  const open = async (role: 'det' | 'rec' | 'cls') => {
    // Top-k outputs: a few floats per step cross into JavaScript instead of the whole softmax.
    const topK = role === 'rec' ? { k: REC_TOP_K, spaceIndex: labels.at(-1) === ' ' ? labels.length - 1 : 0 } : undefined
    const model = await prepareModel(file(role).path, { fold: resolved.foldGraphs, ...(topK ? { topK } : {}) })
    folds[role] = model.folds
    const s = await createSession(ort, file(role), session, model.bytes)
    opened.push(s)
    return s
  }
  const openRec = async () => {
    const rec = await open('rec')
    const classes = rec.outputMetadata[0]
    const last = classes?.isTensor ? classes.shape.at(-1) : undefined
    if (typeof last === 'number') checkClasses({ labels, keysPath: keys.path }, last)
    return rec
  }
  let ctx: PipelineContext
  try {
    ctx = {
      ort,
      sharp,
      det: await open('det'),
      rec: await openRec(),
      cls: resolved.angleClassifier ? await open('cls') : undefined,
      labels,
      keysPath: keys.path,
      detect: {
        maxSidePx: resolved.detMaxSidePx,
        tileSidePx: resolved.detTileSidePx,
        tileOverlapPx: resolved.detTileOverlapPx,
        threshold: resolved.detThreshold,
        boxThreshold: resolved.detBoxThreshold,
        unclipRatio: resolved.detUnclipRatio,
        minSizePx: resolved.detMinSizePx,
        maxBoxes: resolved.detMaxBoxes,
      },
      recBatchSize: resolved.recBatchSize,
      cropPadRatio: resolved.recPadRatio,
      spaceThreshold: resolved.recSpaceThreshold,
      minLineConfidence: resolved.minLineConfidence,
      clsThreshold: resolved.clsThreshold,
    }
  } catch (error) {
    await Promise.allSettled(opened.map((s) => s.release()))
    throw error
  }
  const models = roles.map(file)
  const sessions = { det: session, rec: session, cls: resolved.angleClassifier ? session : null }
  return new Engine(ctx, resolved, () => collectSettings({ ort, sharp, options: resolved, sessions, models, folds }))
}

class Engine implements OcrEngine {
  private closed = false
  private tail: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly ctx: PipelineContext,
    private readonly options: ResolvedEngineOptions,
    private readonly readSettings: () => EngineSettings,
  ) {}

  /** Runs `job` after every earlier job: one page in memory at a time. */
  private serial<R>(job: () => Promise<R>): Promise<R> {
    const run = this.tail.then(() => {
      if (this.closed) throw closedError()
      return job()
    })
    this.tail = run.catch(() => undefined)
    return run
  }

  async recognizeDetailed(input: ImageInput): Promise<DetailedOcrResult> {
    if (this.closed) throw closedError()
    return this.serial(async () => {
      const started = performance.now()
      const image = await decodeImage(input, { maxInputPixels: this.options.maxInputPixels, maxDecodedPixels: this.options.maxDecodedPixels })
      const read = await readLines(this.ctx, image)
      // Boxes in the input's pixels, whatever size it was decoded at.
      const raw = image.scale === 1 ? read : read.map((l) => ({ ...l, quad: l.quad.map((p) => ({ x: p.x / image.scale, y: p.y / image.scale })) as typeof l.quad }))
      // The PP-OCRv4 dictionary lacks ñ ç ã õ â ê ô € º ª ¿ ¡: restore them per page (the language and
      // currency are page-level decisions) from the lexicon, the rules and the decoder's runner-ups.
      const latin = this.options.latin
      const restored = latin === 'off' ? null : restoreLatin(raw, { lang: latin })
      const details = raw.map((l, i) => {
        if (!restored) return l
        const r = restored.lines[i]!
        return r.changes === 0 ? l : { ...l, text: r.text, confidence: r.confidence }
      })
      const lines = details.map(toOcrLine)
      const confidence = lines.length === 0 ? 0 : lines.reduce((s, l) => s + l.confidence, 0) / lines.length
      return {
        text: pageText(details),
        lines,
        confidence,
        fields: extractFields(lines),
        width: image.sourceWidth,
        height: image.sourceHeight,
        ms: performance.now() - started,
        details,
      }
    })
  }

  async recognize(input: ImageInput): Promise<OcrResult> {
    const { details: _details, ...result } = await this.recognizeDetailed(input)
    return result
  }

  async *recognizeMany<T extends ImageInput>(inputs: Iterable<T> | AsyncIterable<T>): AsyncGenerator<OcrItem<T>> {
    if (this.closed) throw closedError()
    for await (const input of inputs) {
      if (this.closed) throw closedError()
      let item: OcrItem<T>
      try {
        item = { input, ok: true, result: await this.recognize(input) }
      } catch (error) {
        if (error instanceof MemgateError && error.code === 'ENGINE_CLOSED') throw error
        const failure = error instanceof MemgateError ? error : new MemgateError('INTERNAL', `OCR failed unexpectedly: ${toError(error).message}`, { cause: error })
        item = { input, ok: false, error: failure }
      }
      yield item
    }
  }

  settings(): EngineSettings {
    return this.readSettings()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.tail
    const { det, rec, cls } = this.ctx
    await Promise.all([det.release(), rec.release(), cls?.release()])
  }
}
