import { describe, expect, it } from 'vitest'
import { NO_RELAUNCH_VAR, relaunchEnvironment } from '../../src/cli/relaunch.js'

const glibc = () => true
const LEAN = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', NODE_OPTIONS: '--max-semi-space-size=2' }
const relaunch = (argv: string[], env: Record<string, string>, isGlibc = glibc) => relaunchEnvironment(argv, env, isGlibc, [])

describe('relaunchEnvironment', () => {
  it('adds the lean profile environment to `ocr` (lean is its default) and marks the relaunch', () => {
    expect(relaunch(['ocr', 'a.png'], { PATH: '/bin' }, glibc)).toEqual({ PATH: '/bin', ...LEAN, [NO_RELAUNCH_VAR]: '1' })
    expect(relaunch(['ocr', '--profile', 'lean', 'a.png'], {}, glibc)).toEqual({ ...LEAN, [NO_RELAUNCH_VAR]: '1' })
    expect(relaunch(['ocr', '--profile=lean'], {}, glibc)).toEqual({ ...LEAN, [NO_RELAUNCH_VAR]: '1' })
  })

  it('keeps the variables the user set and adds only the missing ones', () => {
    expect(relaunch(['ocr', 'a.png'], { MALLOC_ARENA_MAX: '4' }, glibc)).toEqual({ ...LEAN, MALLOC_ARENA_MAX: '4', [NO_RELAUNCH_VAR]: '1' })
  })

  it("appends the profile's V8 flag to the user's NODE_OPTIONS, and a user's own value of it wins", () => {
    expect(relaunch(['ocr', 'a.png'], { NODE_OPTIONS: '--trace-gc' }, glibc)).toEqual({ ...LEAN, NODE_OPTIONS: '--trace-gc --max-semi-space-size=2', [NO_RELAUNCH_VAR]: '1' })
    const own = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', NODE_OPTIONS: '--max_semi_space_size=8' }
    expect(relaunch(['ocr', 'a.png'], own, glibc)).toBeNull()
    expect(relaunchEnvironment(['ocr', 'a.png'], { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' }, glibc, ['--max-semi-space-size=2'])).toBeNull()
  })

  it('off glibc, adds only what is not glibc-specific', () => {
    expect(relaunch(['ocr', 'a.png'], {}, () => false)).toEqual({ NODE_OPTIONS: '--max-semi-space-size=2', [NO_RELAUNCH_VAR]: '1' })
  })

  it('stays in this process when there is nothing to add or nothing to gain', () => {
    expect(relaunch(['ocr', 'a.png'], LEAN, glibc)).toBeNull()
    expect(relaunch(['ocr', '--profile', 'default', 'a.png'], {}, glibc)).toBeNull() // the default profile has no environment
    expect(relaunch(['ocr', '--profile', 'tiny'], {}, glibc)).toBeNull() // left to the usage error
    expect(relaunch(['report', 'reports/latest'], {}, glibc)).toBeNull()
    expect(relaunch(['ocr', 'a.png'], { [NO_RELAUNCH_VAR]: '1' }, glibc)).toBeNull()
    expect(relaunch(['ocr', 'a.png'], { NODE_OPTIONS: '--max-semi-space-size=2' }, () => false)).toBeNull() // musl, macOS: MALLOC_* mean nothing
  })

  it('asks about the C library only for an ocr command line', () => {
    let asked = 0
    const probe = () => (asked++, true)
    relaunch(['report'], {}, probe)
    expect(asked).toBe(0)
    relaunch(['ocr', 'a.png'], {}, probe)
    expect(asked).toBe(1)
  })
})
