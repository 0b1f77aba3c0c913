/**
 * Builds dist/ when a source under src/ or scenarios/ is newer than its compiled file. Run under
 * flock by the scenario tests, so when several suites start together only the first one builds
 * and the others, re-checking under the lock, find dist/ fresh (a rebuild while another suite's
 * workers load dist/ could hand them half-written files).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = join(import.meta.dirname, '..', '..')
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []))
const stale = ['src', 'scenarios']
  .flatMap((d) => walk(join(root, d)))
  .some((file) => {
    const out = join(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js')
    return !existsSync(out) || statSync(out).mtimeMs < statSync(file).mtimeMs
  })
if (stale) {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' })
  } catch {
    // tsc exits non-zero on type errors in files others are editing; it has still written the JS.
  }
}
