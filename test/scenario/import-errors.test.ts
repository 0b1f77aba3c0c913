/**
 * Issue 17: a user's module that does not import (syntax error in .ts or .js, an exception at
 * import, a missing import) is the user's mistake: exit 2 naming the file and the error, no stack.
 * Driven through the real `bin/memgate.js` in a child process, since vitest's own module loader
 * would stand in for Node's and esbuild's errors.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, ROOT } from './helpers.js'

interface Result {
  status: number | null
  stderr: string
}

/** The real CLI in a child process (killed after 60 s, so a hang fails instead of blocking). */
function memgate(args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'memgate.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, MEMGATE_NO_RELAUNCH: '1' } }, (error, _stdout, stderr) => {
      resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stderr })
    })
  })
}

const MODULES: [string, string, RegExp][] = [
    ['bad.ts', 'export default {\n  name: "x",,\n}\n', /bad\.ts could not be imported: syntax error: .*bad\.ts:2:\d+: ERROR: Expected identifier but found ","/],
    ['bad.mjs', 'export default {\n  name: "x",,\n}\n', /bad\.mjs could not be imported: SyntaxError: Unexpected token ',' \(line 2\)/],
    ['throws.mjs', '\nthrow new Error("boom at import")\n', /throws\.mjs could not be imported: it threw at import: Error: boom at import \(line 2, column 7\)/],
    ['throws.ts', 'throw new Error("boom at import")\nexport default 1\n', /throws\.ts could not be imported: it threw at import: Error: boom at import/],
    ['missing-dep.mjs', 'import "no-such-package-memgate"\n', /missing-dep\.mjs could not be imported: Cannot find package 'no-such-package-memgate'/],
]

let dir: string
const results = new Map<string, Result>()
beforeAll(async () => {
  ensureBuilt()
  dir = mkdtempSync(join(tmpdir(), 'memgate-import-errors-'))
  for (const [name, source] of MODULES) writeFileSync(join(dir, name), source)
  writeFileSync(join(dir, 'broken.config.mjs'), 'export default {\n  run: {,\n}\n')
  // The CLI starts in about half a second of CPU; run the cases side by side.
  const runs = [
    ...MODULES.map(([name]) => [name, ['run', `./${name}`, '--out', join(dir, `out-${name}`)]] as const),
    ['config', ['run', 'startup', '--config', 'broken.config.mjs', '--out', join(dir, 'out-config')]] as const,
  ]
  await Promise.all(runs.map(async ([key, args]) => results.set(key, await memgate([...args]))))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('scenario modules that do not import', () => {
  it.each(MODULES)('%s: exit 2, the file and the error, no stack', (name, _source, message) => {
    const r = results.get(name)!
    const out = join(dir, `out-${name}`)
    expect(r.stderr).toMatch(/^memgate: CONFIG_INVALID: /)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).toMatch(/Fix the module and run again\.\n$/)
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /)
    expect(r.status).toBe(2)
    // Refused before a run started: no run directory.
    expect(existsSync(out)).toBe(false)
  })

  it('a config file with a syntax error is exit 2 with its line', () => {
    const r = results.get('config')!
    expect(r.stderr).toMatch(/broken\.config\.mjs could not be imported: SyntaxError: .* \(line 2\)/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.status).toBe(2)
  })
})
