import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ExitCode } from '../../src/common/errors.js'
import { loadCanvas } from '../../scenarios/fixtures/fonts.js'
import { runCli } from '../helpers/cli.js'

let dir: string
let good: string
let corrupt: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memgate-ocr-cli-'))
  const { createCanvas } = await loadCanvas()
  const canvas = createCanvas(520, 140)
  const g = canvas.getContext('2d')
  g.fillStyle = '#fff'
  g.fillRect(0, 0, 520, 140)
  g.fillStyle = '#000'
  g.font = '28px DejaVu Sans'
  g.fillText('Invoice No. INV-88412', 20, 50)
  g.fillText('Grand total $1,234.56', 20, 105)
  good = join(dir, 'good.png')
  await writeFile(good, canvas.toBuffer('image/png'))
  corrupt = join(dir, 'corrupt.png')
  // A PNG signature followed by garbage: it starts like a PNG but does not decode.
  await writeFile(corrupt, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]))
})

describe('memgate ocr', () => {
  it('--json prints one object per input in input order and exits 2 when any input is rejected', async () => {
    const missing = join(dir, 'missing.png')
    const r = await runCli(['ocr', '--json', good, corrupt, missing, good])
    expect(r.exitCode).toBe(ExitCode.UsageError)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.map((l) => [l.file, l.ok])).toEqual([
      [good, true],
      [corrupt, false],
      [missing, false],
      [good, true],
    ])
    const first = lines[0] as { text: string; confidence: number; lines: { text: string; box: unknown[] }[]; fields: Record<string, { value: string }>; ms: number }
    expect(first.text).toBe('Invoice No. INV-88412\nGrand total $1,234.56')
    expect(first.lines).toHaveLength(2)
    expect(first.lines[0]!.box).toHaveLength(4)
    expect(first.confidence).toBeGreaterThan(0.85)
    expect(first.fields.total?.value).toBe('1234.56')
    expect(first.fields.invoiceNumber?.value).toBe('INV-88412')
    expect(first.ms).toBeGreaterThan(0)
    expect((lines[1] as { error: { code: string } }).error.code).toBe('INPUT_CORRUPT')
    expect((lines[2] as { error: { code: string; message: string } }).error.code).toBe('INPUT_NOT_FOUND')
    expect((lines[2] as { error: { message: string } }).error.message).toContain(missing)
  })

  it('prints a readable table and exits 0 when every input was read', async () => {
    const r = await runCli(['ocr', '--text', good], { cwd: dir })
    expect(r.exitCode).toBe(ExitCode.Ok)
    expect(r.stdout).toMatch(/^FILE\s+STATUS\s+LINES\s+CONF\s+TIME\s+DATE\s+TOTAL\s+CUR\s+INVOICE\s+TAX ID$/m)
    expect(r.stdout).toMatch(/good\.png\s+ok\s+2\s+0\.\d{3}\s+.*1234\.56\s+USD\s+INV-88412/)
    expect(r.stdout).toContain('Grand total $1,234.56')
    expect(r.stdout).toContain('1 of 1 inputs read.')
  })

  it('explains what to do when no input is named', async () => {
    const r = await runCli(['ocr'])
    expect(r.exitCode).toBe(ExitCode.UsageError)
    expect(r.stderr).toContain('Name at least one image file, or pass --samples')
  })

  it('rejects an engine config with an unknown key, naming it', async () => {
    const cfg = join(dir, 'engine.json')
    await writeFile(cfg, JSON.stringify({ enableCpuMemArena: false, enableCpuMemArenaa: true }))
    const r = await runCli(['ocr', '--config', cfg, good])
    expect(r.exitCode).toBe(ExitCode.UsageError)
    expect(r.stderr).toMatch(/CONFIG_INVALID.*enableCpuMemArenaa/)
  })
})
