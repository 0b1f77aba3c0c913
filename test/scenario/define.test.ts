import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { defineScenario, isScenario, stagesOf, type Stage } from '../../src/scenario/index.js'

const noop: Stage['run'] = () => undefined

describe('defineScenario', () => {
  it('returns a tagged, frozen scenario that isScenario recognises', () => {
    const s = defineScenario({ name: 'tiny', description: 'd', stages: [{ name: 'a', kind: 'work', run: noop }] })
    expect(isScenario(s)).toBe(true)
    expect(Object.isFrozen(s)).toBe(true)
    expect(isScenario({ name: 'tiny', stages: [] })).toBe(false)
    // A plain object carrying the tag counts: a second copy of memgate makes the same objects.
    expect(isScenario({ kind: 'memgate.scenario' })).toBe(true)
  })

  it.each([
    [{ name: 'Bad Name', description: 'd', stages: [{ name: 'a', kind: 'work', run: noop }] }, /not kebab-case/],
    [{ name: 'x', description: ' ', stages: [{ name: 'a', kind: 'work', run: noop }] }, /needs a one-line description/],
    [{ name: 'x', description: 'd', stages: [] }, /declares no stages/],
    [{ name: 'x', description: 'd', stages: [{ name: 'a', kind: 'work', run: noop }, { name: 'a', kind: 'idle', run: noop }] }, /'a' is used twice/],
    [{ name: 'x', description: 'd', stages: [{ name: 'setup', kind: 'work', run: noop }] }, /'setup' is used twice \(or is reserved\)/],
    [{ name: 'x', description: 'd', stages: [{ name: 'a b', kind: 'work', run: noop }] }, /must be letters, digits/],
    [{ name: 'x', description: 'd', stages: [{ name: 'a', kind: 'teardown', run: noop }] }, /has kind "teardown"/],
    [{ name: 'x', description: 'd', stages: [{ name: 'a', kind: 'work' }] }, /has no run\(ctx, state\) function/],
    [{ name: 'x', description: 'd', params: { n: { default: null, description: 'n' } }, stages: [{ name: 'a', kind: 'work', run: noop }] }, /param 'n' needs a default/],
    [{ name: 'x', description: 'd', params: { m: { default: 'z', description: 'm', choices: ['a', 'b'] } }, stages: [{ name: 'a', kind: 'work', run: noop }] }, /not one of its choices \(a, b\)/],
    // Issue 17: parameter declarations are checked as numbers too.
    [{ name: 'x', description: 'd', params: { n: { default: Infinity, description: 'n' } }, stages: [{ name: 'a', kind: 'work', run: noop }] }, /param 'n' default Infinity must be a finite number/],
    [{ name: 'x', description: 'd', params: { n: { default: 5, description: 'n', min: 10, max: 2 } }, stages: [{ name: 'a', kind: 'work', run: noop }] }, /min 10 above max 2/],
    [{ name: 'x', description: 'd', params: { n: { default: 0, description: 'n', min: 1 } }, stages: [{ name: 'a', kind: 'work', run: noop }] }, /default 0 is outside its bounds \[1, ∞\]/],
    [{ name: 'x', description: 'd', params: { n: { default: 0.5, description: 'n', integer: true } }, stages: [{ name: 'a', kind: 'work', run: noop }] }, /declared integer but its default 0.5/],
  ])('rejects a bad definition (%#)', (definition, message) => {
    expect(() => defineScenario(definition as never)).toThrow(ConfigError)
    expect(() => defineScenario(definition as never)).toThrow(message)
  })

  it('builds stages from the parameters and checks them then', () => {
    const s = defineScenario({
      name: 'cycles',
      description: 'd',
      params: { cycles: { default: 3, description: 'n' } },
      stages: (p) => Array.from({ length: p.cycles }, (_, i) => ({ name: `cycle-${i + 1}`, kind: 'cycle' as const, run: noop })),
    })
    expect(stagesOf(s, { cycles: 2 }).map((st) => st.name)).toEqual(['cycle-1', 'cycle-2'])
    expect(() => stagesOf(s, { cycles: 0 })).toThrow(/declares no stages/)
  })
})
