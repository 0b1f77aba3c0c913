import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LEAN_V8_FLAGS, leanV8Flags } from '../../src/cli/lean-flags.js'
import { ensureBuilt } from '../scenario/helpers.js'

const BIN = fileURLToPath(new URL('../../bin/memgate.js', import.meta.url))
const MiB = 1024 * 1024

describe('leanV8Flags', () => {
  it('makes watch, --help and --version lean', () => {
    for (const argv of [['watch', '4242'], ['watch', '--', 'sleep', '1'], ['watch', '--help'], ['--help'], ['-h'], ['--version'], []]) expect(leanV8Flags(argv)).toBe(LEAN_V8_FLAGS)
  })

  it("leaves every other command with V8's defaults", () => {
    for (const argv of [['ocr', 'a.png'], ['run'], ['check', '--run', 'reports/latest'], ['diff', 'a', 'b'], ['inspect', 'a'], ['report'], ['serve']]) expect(leanV8Flags(argv)).toEqual([])
    // A word after `watch` is not a command.
    expect(leanV8Flags(['run', 'watch'])).toEqual([])
  })
})

/** Runs `script` in a fresh Node with the lean flags set at run time (as the bin script does) or not. */
function probe(script: string, lean: boolean): { newSpaceBytes: number; optimized: boolean } {
  const set = lean ? `for (const f of ${JSON.stringify(LEAN_V8_FLAGS)}) require('node:v8').setFlagsFromString(f);` : ''
  return JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', '-e', set + script], { encoding: 'utf8' })) as { newSpaceBytes: number; optimized: boolean }
}

// Everything survives (like modules loading), so V8 would grow its young generation; and one hot function.
const WORK = `
  const kept = []; for (let i = 0; i < 300000; i++) kept.push({ i, s: 'x' + i });
  // Full collections with the flags changed after start: a GC flag that cannot change then aborts here.
  for (let i = 0; i < 3; i++) { gc(); kept.push(new Array(100000).fill(i)) }
  function hot(n) { let t = 0; for (let i = 0; i < n; i++) t += i % 7; return t }
  %PrepareFunctionForOptimization(hot); hot(10); hot(10); %OptimizeFunctionOnNextCall(hot); hot(10);
  const newSpaceBytes = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
  console.log(JSON.stringify({ newSpaceBytes, optimized: (%GetOptimizationStatus(hot) & 16) !== 0, kept: kept.length > 0 }));`

describe('the lean flags, set after Node started', () => {
  it('keep the young generation at its initial size and TurboFan off', () => {
    const lean = probe(WORK, true)
    const normal = probe(WORK, false)
    expect(normal.newSpaceBytes).toBeGreaterThan(2 * MiB)
    expect(lean.newSpaceBytes).toBeLessThanOrEqual(2 * MiB)
    expect(normal.optimized).toBe(true)
    expect(lean.optimized).toBe(false)
  })
})

describe('bin/memgate.js', () => {
  let dir: string
  beforeAll(() => {
    ensureBuilt()
    dir = mkdtempSync(join(tmpdir(), 'memgate-lean-'))
    // Reports the young generation's size when the CLI ends.
    writeFileSync(join(dir, 'report.mjs'), `import v8 from 'node:v8'; import fs from 'node:fs'
process.on('exit', () => fs.writeSync(2, 'new_space=' + v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size + '\\n'))`)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const newSpaceOf = (args: string[]): number => {
    const { stderr } = spawnSync(process.execPath, ['--import', join(dir, 'report.mjs'), BIN, ...args], { encoding: 'utf8', env: { ...process.env, MEMGATE_NO_RELAUNCH: '1' } })
    return Number(/new_space=(\d+)/.exec(stderr)?.[1])
  }

  it('applies them to --help (its young generation stays at 1 MiB per semi-space)', () => {
    expect(newSpaceOf(['--help'])).toBeLessThanOrEqual(2 * MiB)
  })
})
