/**
 * `memgate ocr` runs the engine in the CLI's own process, and glibc reads its allocator settings
 * only when a process starts, so the profile's environment (`PROFILE_ENVIRONMENT`, measured to
 * cut lean's peak RSS by a fifth) cannot be applied from inside. The bin script asks this module
 * whether to start itself again with it. Nothing here loads native code.
 */
import { LEAN_PROFILE, PROFILE_ENVIRONMENT, profileEnvironmentToAdd, type ProfileName } from '../engine/profiles.js'

/** Set to `1` to keep memgate from starting itself again (the variable is also set in the relaunched process). */
export const NO_RELAUNCH_VAR = 'MEMGATE_NO_RELAUNCH'

/** The `--profile` of an `ocr` command line (yargs' forms `--profile X` and `--profile=X`); its default, lean. */
function ocrProfile(argv: readonly string[]): ProfileName | null {
  if (argv[0] !== 'ocr') return null
  let profile: string = LEAN_PROFILE
  argv.forEach((arg, i) => {
    if (arg === '--profile' && argv[i + 1] !== undefined) profile = argv[i + 1]!
    else if (arg.startsWith('--profile=')) profile = arg.slice('--profile='.length)
  })
  // An unknown profile is left to the command's own usage error.
  return Object.hasOwn(PROFILE_ENVIRONMENT, profile) ? (profile as ProfileName) : null
}

/**
 * The environment to start `memgate` again with, or null to go on in this process: only for
 * `ocr`, when the profile's environment is not already in place and the user did not opt out.
 * Variables the user set themselves are kept (theirs win); the profile's V8 flags are appended to
 * their NODE_OPTIONS; glibc's `MALLOC_*` are added on glibc only (elsewhere they mean nothing).
 * @param isGlibc asked only for an `ocr` command line (it runs `getconf` once: src/common/libc.ts)
 */
export function relaunchEnvironment(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, isGlibc: () => boolean, execArgv: readonly string[] = process.execArgv): Record<string, string> | null {
  if (env[NO_RELAUNCH_VAR] === '1') return null
  const profile = ocrProfile(argv)
  if (profile === null) return null
  const add = profileEnvironmentToAdd(profile, env, { glibc: isGlibc(), execArgv })
  if (Object.keys(add).length === 0) return null
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  Object.assign(out, add)
  out[NO_RELAUNCH_VAR] = '1'
  return out
}
