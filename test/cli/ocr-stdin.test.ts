/** Issue 17: `memgate ocr -` reads one image from standard input (it was silently dropped), and rejections say why. */
import { mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import { ExitCode } from '../../src/common/errors.js'
import { loadCanvas } from '../../scenarios/fixtures/fonts.js'
import { runCli } from '../helpers/cli.js'

let dir: string
let png: Buffer
let good: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memgate-ocr-stdin-'))
  const { createCanvas } = await loadCanvas()
  const canvas = createCanvas(520, 80)
  const g = canvas.getContext('2d')
  g.fillStyle = '#fff'
  g.fillRect(0, 0, 520, 80)
  g.fillStyle = '#000'
  g.font = '28px DejaVu Sans'
  g.fillText('Invoice No. INV-88412', 20, 50)
  png = canvas.toBuffer('image/png')
  good = join(dir, 'good.png')
  await writeFile(good, png)
  await symlink('loop-b', join(dir, 'loop-a'))
  await symlink('loop-a', join(dir, 'loop-b'))
})

const pipe = (...chunks: Buffer[]) => Object.assign(Readable.from(chunks), { isTTY: false })

describe('memgate ocr -', () => {
  it('reads the image piped in, in its place among the files', async () => {
    const r = await runCli(['ocr', '--json', good, '-'], { cwd: dir, stdin: pipe(png.subarray(0, 100), png.subarray(100)) })
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(ExitCode.Ok)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; ok: boolean; text: string })
    expect(lines.map((l) => [l.file, l.ok, l.text])).toEqual([
      [good, true, 'Invoice No. INV-88412'],
      ['-', true, 'Invoice No. INV-88412'],
    ])
  })

  it('an empty pipe is INPUT_EMPTY about standard input; a second - or a terminal is a usage error', async () => {
    const empty = await runCli(['ocr', '--json', '-'], { cwd: dir, stdin: pipe() })
    expect(empty.exitCode).toBe(ExitCode.UsageError)
    expect(JSON.parse(empty.stdout)).toMatchObject({ file: '-', ok: false, error: { code: 'INPUT_EMPTY', message: expect.stringContaining('standard input') } })
    const twice = await runCli(['ocr', '-', '-'], { cwd: dir, stdin: pipe(png) })
    expect(twice.exitCode).toBe(ExitCode.UsageError)
    expect(twice.stderr).toBe("memgate: '-' (standard input) can be given once: it holds one image.\nRun 'memgate --help' for usage.\n")
    const tty = await runCli(['ocr', '-'], { cwd: dir, stdin: Object.assign(Readable.from([]), { isTTY: true }) })
    expect(tty.exitCode).toBe(ExitCode.UsageError)
    expect(tty.stderr).toMatch(/standard input is a terminal; pipe an image in/)
  })

  it('the table says why an input was rejected, and a symlink loop is called one', async () => {
    const r = await runCli(['ocr', 'loop-a'], { cwd: dir })
    expect(r.exitCode).toBe(ExitCode.UsageError)
    expect(r.stdout).toMatch(/loop-a\s+INPUT_INVALID/)
    expect(r.stderr).toBe(`memgate ocr: ${join(dir, 'loop-a')}: INPUT_INVALID: Cannot read image ${join(dir, 'loop-a')}: it is a symbolic link loop (following its links leads back to a link already followed); fix or remove the link.\n`)
    expect(r.stderr).not.toContain('permissions')
  })
})
