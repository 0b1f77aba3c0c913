/**
 * The machine and runtime a run is measured on, and the memory-relevant environment of a worker.
 * Only variables that change memory behaviour are recorded: a process environment can hold
 * secrets, and run.json is committed as a baseline.
 */
import { arch, cpus, platform, release, totalmem } from 'node:os'
import { glibcVersion } from '../common/libc.js'
import type { RunEnvironment } from '../run/schema.js'

/** Environment variables that move memory figures (allocators, thread pools, Node and ORT knobs). */
const MEMORY_ENV = /^(MALLOC_[A-Z_]+|LD_PRELOAD|UV_THREADPOOL_SIZE|NODE_OPTIONS|OMP_NUM_THREADS|ORT_[A-Z_]+|VIPS_[A-Z_]+|JEMALLOC_[A-Z_]+|MIMALLOC_[A-Z_]+|TZ)$/

/** The memory-relevant subset of `env`, sorted by name. */
export function memoryRelevantEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of Object.keys(env).sort()) {
    const value = env[key]
    if (value !== undefined && MEMORY_ENV.test(key)) out[key] = value
  }
  return out
}

/** Describes this machine; `env` is the environment workers inherit. */
export function describeEnvironment(env: Readonly<Record<string, string | undefined>>): RunEnvironment {
  const cpuList = cpus()
  const glibc = glibcVersion()
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    platform: platform(),
    arch: arch(),
    osRelease: release(),
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cpuCount: cpuList.length,
    totalMemoryBytes: totalmem(),
    libc: glibc ? `glibc ${glibc}` : null,
    mallocArenaMax: env.MALLOC_ARENA_MAX ?? null,
    ldPreload: env.LD_PRELOAD ?? null,
    ci: Boolean(env.CI && env.CI !== 'false' && env.CI !== '0'),
  }
}
