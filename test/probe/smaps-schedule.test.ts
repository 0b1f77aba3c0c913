import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { SMAPS_COST_FACTOR, SmapsSchedule } from '../../src/probe/smaps-schedule.js'

describe('SmapsSchedule', () => {
  it('allows one read per minimum interval and per process', () => {
    const s = new SmapsSchedule()
    expect(s.due(10, 1000, 500)).toBe(true)
    s.done(10, 1)
    expect(s.due(10, 1499, 500)).toBe(false)
    expect(s.due(11, 1499, 500)).toBe(true) // another process has its own budget
    expect(s.due(10, 1500, 500)).toBe(true)
  })

  it('stretches the interval for slow reads so they stay within 1% of the time', () => {
    const s = new SmapsSchedule()
    expect(s.due(1, 0, 1000)).toBe(true)
    s.done(1, 40) // a 40 ms walk of a big process
    expect(s.due(1, 1000, 1000)).toBe(false)
    expect(s.due(1, 40 * SMAPS_COST_FACTOR - 1, 1000)).toBe(false)
    expect(s.due(1, 40 * SMAPS_COST_FACTOR, 1000)).toBe(true)
  })

  it('reads every time with an interval of 0, however slow the reads', () => {
    const s = new SmapsSchedule()
    expect(s.due(1, 0, 0)).toBe(true)
    s.done(1, 500)
    expect(s.due(1, 1, 0)).toBe(true)
  })

  it('starts fresh for a forgotten PID and when the clock steps back', () => {
    const s = new SmapsSchedule()
    expect(s.due(1, 10_000, 1000)).toBe(true)
    expect(s.due(1, 5_000, 1000)).toBe(true) // clock stepped back: read rather than wait
    s.forget(1)
    expect(s.due(1, 5_001, 1000)).toBe(true)
  })

  it('rejects a negative interval', () => {
    expect(() => new SmapsSchedule().due(1, 0, -5)).toThrow(ConfigError)
  })
})
