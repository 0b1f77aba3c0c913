import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { removeTempDirs, writeRunDir } from '../fixtures/report/judge.js'
import { makeSuiteRun } from '../fixtures/report/runs.js'

afterAll(removeTempDirs)

const run = promisify(execFile)

interface Probe {
  exitCode: number
  maps: string[]
  modules: string[]
  output: string
}

async function probe(dir: string, control: boolean): Promise<Probe> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/fixtures/report/native-probe.ts', dir], { env: { ...process.env, PROBE_CONTROL: control ? '1' : '0' }, maxBuffer: 1 << 24 })
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Probe
}

describe('memgate report', () => {
  it('never loads native OCR code (onnxruntime-node, sharp, libvips)', async () => {
    const dir = writeRunDir(makeSuiteRun({ noise: false, scenarios: ['startup', 'load'] }))
    const [clean, control] = await Promise.all([probe(dir, false), probe(dir, true)])
    expect(clean.exitCode, clean.output).toBe(0)
    expect(clean.output).toContain('report.html')
    expect(clean.maps).toEqual([])
    expect(clean.modules).toEqual([])
    // The control imports sharp: the same probe must see it, or the clean result proves nothing.
    expect(control.maps.length + control.modules.length).toBeGreaterThan(0)
  })
})
