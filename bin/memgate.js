#!/usr/bin/env node
// Thin shell: everything lives in the library's CLI module (STYLE.md §1).
import { spawnSync } from 'node:child_process'
import { constants } from 'node:os'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { leanV8Flags } from '../dist/src/cli/lean-flags.js'

const argv = process.argv.slice(2)
// Before the CLI's modules load: `watch` and `--help` run with a small young generation and no
// optimising compiler (the watcher's own RSS is a goal; src/cli/lean-flags.ts).
for (const flag of leanV8Flags(argv)) setFlagsFromString(flag)
// glibc reads its allocator settings at process start: `memgate ocr` starts itself again with
// the profile's environment (src/cli/relaunch.ts). MEMGATE_NO_RELAUNCH=1 turns this off.
// Only `ocr` ever relaunches: other commands do not load the module (nor the engine's profile table it reads).
const relaunch = argv[0] === 'ocr' ? await ocrRelaunch() : null
const child = relaunch ? spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...argv], { stdio: 'inherit', env: { ...relaunch, MEMGATE_RELAUNCHED_BY: String(process.pid) } }) : null
if (child && !child.error) {
  process.exitCode = child.status ?? 128 + (constants.signals[child.signal] ?? 0)
} else {
  const { main } = await import('../dist/src/cli/main.js')
  // SIGINT/SIGTERM abort the command: runs kill their workers and write run.json marked interrupted.
  const stop = new AbortController()
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => stop.abort(sig))
  // Started again by a memgate that is gone (killed with SIGKILL, so it could not end us): end too.
  const relauncher = Number(process.env.MEMGATE_RELAUNCHED_BY)
  if (relauncher > 0) {
    setInterval(() => {
      if (process.ppid === relauncher) return
      stop.abort('SIGTERM')
      setTimeout(() => process.exit(143), 2000).unref()
    }, 500).unref()
  }
  process.exitCode = await main({ argv, cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, signal: stop.signal })
}

/** The environment `memgate ocr` starts itself again with, or null when it needs none. */
async function ocrRelaunch() {
  const [{ relaunchEnvironment }, { glibcVersion }] = await Promise.all([import('../dist/src/cli/relaunch.js'), import('../dist/src/common/libc.js')])
  return relaunchEnvironment(argv, process.env, () => glibcVersion() !== null)
}
