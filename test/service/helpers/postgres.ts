/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temporary directory, start it on a unix
 * socket only (no TCP port to collide with), hand out a DATABASE_URL, stop and delete it after.
 * As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
 *
 * Fails, never skips, when PostgreSQL is missing: CI installs Debian's `postgresql` package.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestPostgres {
  /** Connection string for `pg` (unix socket in the cluster's directory). */
  url: string
  dir: string
  stop(): Promise<void>
}

/** The newest installed server's bin directory (Debian: /usr/lib/postgresql/<major>/bin). */
export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql'
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'initdb'))) : []
  majors.sort((a, b) => Number(b) - Number(a))
  if (majors.length === 0) {
    throw new Error(`PostgreSQL server binaries not found under ${root}/*/bin. Install them (Debian: apt-get install -y postgresql); the PostgreSQL store tests need a real server.`)
  }
  return join(root, majors[0]!, 'bin')
}

function userIds(name: string): { uid: number; gid: number } {
  return { uid: Number(execFileSync('id', ['-u', name], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' })) }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBin()
  const dir = mkdtempSync(join(tmpdir(), 'memgate-pg-'))
  const data = join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  const run = (tool: string, args: string[]) => {
    const file = join(bin, tool)
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args]
    try {
      return execFileSync(cmd, argv, { encoding: 'utf8', stdio: 'pipe', cwd: dir })
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string }
      throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr ?? ''}${e.stdout ?? ''}`, { cause: error })
    }
  }
  if (asRoot) {
    const { uid, gid } = userIds('postgres')
    chownSync(dir, uid, gid)
    chmodSync(dir, 0o700)
  }
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'])
  // Unix socket in our directory only; fsync off: the data is thrown away.
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-k ${dir} -c listen_addresses= -p 5432 -c fsync=off -c full_page_writes=off`, 'start'])
  let stopped = false
  return {
    url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}&port=5432`,
    dir,
    async stop() {
      if (stopped) return
      stopped = true
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
