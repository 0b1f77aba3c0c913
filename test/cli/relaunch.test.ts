import { describe, expect, it } from 'vitest'
import { NO_RELAUNCH_VAR, relaunchEnvironment } from '../../src/cli/relaunch.js'

const glibc = () => true
const LEAN = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' }

describe('relaunchEnvironment', () => {
  it('adds the lean profile environment to `ocr` (lean is its default) and marks the relaunch', () => {
    expect(relaunchEnvironment(['ocr', 'a.png'], { PATH: '/bin' }, glibc)).toEqual({ PATH: '/bin', ...LEAN, [NO_RELAUNCH_VAR]: '1' })
    expect(relaunchEnvironment(['ocr', '--profile', 'lean', 'a.png'], {}, glibc)).toEqual({ ...LEAN, [NO_RELAUNCH_VAR]: '1' })
    expect(relaunchEnvironment(['ocr', '--profile=lean'], {}, glibc)).toEqual({ ...LEAN, [NO_RELAUNCH_VAR]: '1' })
  })

  it('keeps the variables the user set and adds only the missing ones', () => {
    expect(relaunchEnvironment(['ocr', 'a.png'], { MALLOC_ARENA_MAX: '4' }, glibc)).toEqual({ MALLOC_ARENA_MAX: '4', MALLOC_MMAP_THRESHOLD_: '131072', [NO_RELAUNCH_VAR]: '1' })
  })

  it('stays in this process when there is nothing to add or nothing to gain', () => {
    expect(relaunchEnvironment(['ocr', 'a.png'], LEAN, glibc)).toBeNull()
    expect(relaunchEnvironment(['ocr', '--profile', 'default', 'a.png'], {}, glibc)).toBeNull() // the default profile has no environment
    expect(relaunchEnvironment(['ocr', '--profile', 'tiny'], {}, glibc)).toBeNull() // left to the usage error
    expect(relaunchEnvironment(['report', 'reports/latest'], {}, glibc)).toBeNull()
    expect(relaunchEnvironment(['ocr', 'a.png'], { [NO_RELAUNCH_VAR]: '1' }, glibc)).toBeNull()
    expect(relaunchEnvironment(['ocr', 'a.png'], {}, () => false)).toBeNull() // musl, macOS: the variables mean nothing
  })

  it('asks about the C library only for an ocr command line', () => {
    let asked = 0
    const probe = () => (asked++, true)
    relaunchEnvironment(['report'], {}, probe)
    expect(asked).toBe(0)
    relaunchEnvironment(['ocr', 'a.png'], {}, probe)
    expect(asked).toBe(1)
  })
})
