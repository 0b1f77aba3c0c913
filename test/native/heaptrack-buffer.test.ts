import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemgateError, TargetCrashed } from '../../src/common/errors.js'
import { readNativeProfile, runUnderHeaptrack, type NativeProfile } from '../../src/native/index.js'
import { alive, fixture, requireTools, runReal, tempDir } from './helpers.js'

const MiB = 1024 * 1024
const NODE = realpathSync(process.execPath)

describe.runIf(runReal)('heaptrack on a Node script that keeps Buffer.allocUnsafeSlow blocks', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let dataFile: string
  let profile: NativeProfile

  beforeAll(async () => {
    dir = await tempDir('buffer')
    dataFile = await runUnderHeaptrack({ command: process.execPath, args: [fixture('native-buffer/keep-buffers.mjs'), '8', '8'], outDir: dir.path, timeoutMs: 50_000, tools: requireTools() })
    profile = await readNativeProfile(dataFile, { tools: requireTools() })
  })
  afterAll(() => dir?.remove())

  it('leaves exactly one compressed data file and no temporary file', () => {
    expect(dataFile).toMatch(/\/heaptrack\.node\.[0-9a-f]{8}\.(zst|gz)$/)
    expect(readdirSync(dir.path)).toEqual([dataFile.slice(dir.path.length + 1)])
  })

  it('attributes the 64 MiB to node’s binary under the Buffer binding, at the peak and at the end', () => {
    expect(profile).toMatchObject({ tool: 'heaptrack', version: requireTools().version })
    expect(profile.command).toContain('keep-buffers.mjs 8 8')
    const [top] = profile.bySharedObject
    expect(top?.key).toBe(NODE)
    const buffers = profile.byFrame.find((g) => g.key === 'node::Buffer::(anonymous namespace)::CreateUnsafeArrayBuffer')
    expect(buffers).toMatchObject({ kind: 'binding', module: NODE })
    // heaptrack_print's figures are 1000-based with two decimals: 64 MiB prints as 67.11M; Node's
    // own startup adds a few small buffers through the same binding.
    for (const bytes of [buffers?.peakBytes, buffers?.leakedBytes]) {
      expect(bytes).toBeGreaterThanOrEqual(64 * MiB * 0.995)
      expect(bytes).toBeLessThan(64 * MiB * 1.01)
    }
    const [biggest] = profile.sites
    expect(biggest).toMatchObject({ allocations: 8, sharedObject: NODE, frame: { name: buffers?.key, kind: 'binding' } })
    expect(biggest?.peakBytes).toBeGreaterThanOrEqual(64 * MiB * 0.995)
    expect(profile.byFrame[0]?.key).toBe(buffers?.key)
    expect(profile.totals.peakBytes).toBeGreaterThanOrEqual(64 * MiB)
    expect(profile.totals.listedPeakBytes / profile.totals.peakBytes).toBeGreaterThan(0.95)
  })
})

describe.runIf(runReal).concurrent('runUnderHeaptrack ends what it started', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    dir = await tempDir('runner')
  })
  afterAll(() => dir?.remove())

  it('kills the traced program, its children and heaptrack when aborted, and keeps nothing', async () => {
    const outDir = join(dir.path, 'abort')
    const pidFile = join(dir.path, 'pids')
    const controller = new AbortController()
    const run = runUnderHeaptrack({ command: process.execPath, args: [fixture('native-runner/hang-with-child.mjs'), pidFile], outDir, timeoutMs: 50_000, signal: controller.signal, tools: requireTools() })
    const failed = run.catch((e: unknown) => e)
    while (!existsSync(pidFile)) await new Promise((r) => setTimeout(r, 100))
    const [launcher, target, child] = readFileSync(pidFile, 'utf8').split(' ').map(Number) as [number, number, number]
    for (const pid of [launcher, target, child]) expect(alive(pid), `pid ${pid} before`).toBe(true)
    controller.abort()
    const error = await failed
    expect(error).toBeInstanceOf(TargetCrashed)
    expect((error as Error).message).toMatch(/was aborted and killed with its process group\.$/)
    for (const pid of [launcher, target, child]) expect(alive(pid), `pid ${pid} after`).toBe(false)
    expect(existsSync(`/tmp/heaptrack_fifo${launcher}`)).toBe(false)
    expect(readdirSync(outDir)).toEqual([])
  })

  it('times out with a typed error and keeps nothing', async () => {
    const outDir = join(dir.path, 'timeout')
    const error = await runUnderHeaptrack({ command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], outDir, timeoutMs: 3000, tools: requireTools() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TargetCrashed)
    expect((error as TargetCrashed).code).toBe('TARGET_TIMED_OUT')
    expect((error as Error).message).toMatch(/did not finish within 3000 ms and was killed with its process group/)
    expect(readdirSync(outDir)).toEqual([])
  })

  it('passes env and cwd, reports a failing command with its output, and keeps the data up to the failure', async () => {
    const outDir = join(dir.path, 'exit')
    // Exit code 3 only if env and cwd arrived as given (9 otherwise).
    const script = 'if (process.env.MEMGATE_PROBE !== "42" || process.cwd() !== "/tmp" || "NO_SUCH" in process.env) process.exit(9); console.error("bad input"); process.exit(3)'
    process.env.NO_SUCH = 'set in the parent'
    const error = await runUnderHeaptrack({ command: process.execPath, args: ['-e', script], env: { MEMGATE_PROBE: '42', NO_SUCH: undefined }, cwd: '/tmp', outDir, timeoutMs: 50_000, tools: requireTools() })
      .catch((e: unknown) => e)
      .finally(() => delete process.env.NO_SUCH)
    expect(error).toBeInstanceOf(TargetCrashed)
    expect((error as TargetCrashed).code).toBe('TARGET_CRASHED')
    const kept = readdirSync(outDir)
    expect(kept).toHaveLength(1)
    expect(kept[0]).toMatch(/^heaptrack\.node\.[0-9a-f]{8}\.(zst|gz)$/)
    expect((error as Error).message).toContain(`exited with code 3. The heaptrack data up to that point is in ${join(outDir, kept[0] as string)}.`)
    expect((error as Error).message).toContain('bad input')
  })

  it('refuses an output directory heaptrack’s launcher would split', async () => {
    await expect(runUnderHeaptrack({ command: process.execPath, args: ['-e', '0'], outDir: join(dir.path, 'a b'), tools: requireTools() })).rejects.toThrow(MemgateError)
    expect(existsSync(join(dir.path, 'a b'))).toBe(false)
  })
})
