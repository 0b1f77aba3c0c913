/** Issue 17: config files that load but say the wrong thing: no default export, a non-finite value, a syntax error. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { loadConfig, validateMemgateConfig } from '../../src/config/load.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../fixtures/gate/runs.js'

describe('config files users get wrong', () => {
  it('a config without a default export says so, naming what it does export', async () => {
    const dir = tempDir('memgate-config-nodefault-')
    writeFileSync(join(dir, 'memgate.config.mjs'), 'export const x = { run: {} }\n')
    const error = await loadConfig(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toBe(`Config ${join(dir, 'memgate.config.mjs')} has no default export (it exports 'x'); write \`export default defineConfig({ ... })\`.`)
    // The same through the CLI (TypeScript through tsx): exit 2, one line, no stack.
    writeFileSync(join(dir, 'other.config.ts'), 'export const x = 1\n')
    const r = await runCli(['run', 'startup', '--config', 'other.config.ts', '--out', join(dir, 'out')], { cwd: dir })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/has no default export \(it exports 'x'\)/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('Infinity and NaN are "must be a finite number", with the key path', () => {
    expect(() => validateMemgateConfig({ run: { timeoutSec: Number.POSITIVE_INFINITY } }, 'c.ts')).toThrow('c.ts: run.timeoutSec: must be a finite number but is Infinity. Fix the config file.')
    expect(() => validateMemgateConfig({ check: { repeat: Number.NaN } }, 'c.ts')).toThrow('c.ts: check.repeat: must be a finite number but is NaN.')
  })
})
