/**
 * What /proc says about a target process before memgate touches it: does it exist, may we signal
 * it, is it Node, what does SIGUSR1 do to it, which TCP ports does it listen on, and how much
 * memory the host (and its cgroup) has left. Linux only; every reader fails soft where the kernel
 * hides a file from another user, and the caller decides what that means.
 */
import { readdir, readFile, readlink } from 'node:fs/promises'
import { basename } from 'node:path'
import { RemoteSnapshotError } from './errors.js'

/** What {@link inspectTarget} learned about a process. */
export interface TargetProcess {
  pid: number
  /** The executable (`/proc/PID/exe`), or null when the kernel hides it. */
  exe: string | null
  /** The command line, split at NULs. */
  argv: string[]
  /** What SIGUSR1 does to it: `caught` (Node's inspector trigger), `ignored`, or `default` (terminate). */
  sigusr1: 'caught' | 'ignored' | 'default' | 'unknown'
}

const NODE_EXECUTABLE = /^(?:node|nodejs)(?:[-_]?\d+(?:\.\d+)*)?$/

/** Signal 10 on Linux x86/arm. Bit n-1 of the SigCgt/SigIgn masks. */
const SIGUSR1_BIT = 1n << 9n

/** True while the process exists and is not a zombie. */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null)
  if (stat === null) return false
  // The state follows the last ')' (the command name may itself hold parentheses).
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
  return state !== 'Z' && state !== 'X'
}

/**
 * Checks that `pid` names a live Node.js process this user may signal.
 * @throws RemoteSnapshotError `no-such-process`, `permission-denied` or `not-node`.
 */
export async function inspectTarget(pid: number): Promise<TargetProcess> {
  if (!Number.isInteger(pid) || pid <= 0) throw new RemoteSnapshotError('no-such-process', pid, `Expected a process id (a positive integer) but received ${String(pid)}.`)
  try {
    process.kill(pid, 0)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EPERM') {
      throw new RemoteSnapshotError('permission-denied', pid, `Not allowed to signal process ${pid} (EPERM): it belongs to another user. Run memgate as that user (or root).`, { cause: error })
    }
    throw new RemoteSnapshotError('no-such-process', pid, `No process with PID ${pid}. Check the PID (e.g. with 'pgrep -af node').`, { cause: error })
  }
  if (!(await isAlive(pid))) throw new RemoteSnapshotError('no-such-process', pid, `Process ${pid} has exited (it is a zombie waiting for its parent).`)
  const exe = await readlink(`/proc/${pid}/exe`).catch(() => null)
  const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').filter((a, i, all) => a !== '' || i < all.length - 1)
  const isNode = [exe, argv[0]].some((p) => p != null && p !== '' && NODE_EXECUTABLE.test(basename(p.replace(/ \(deleted\)$/, ''))))
  if (!isNode) {
    const what = exe ?? argv[0] ?? 'an unknown executable'
    throw new RemoteSnapshotError(
      'not-node',
      pid,
      `Process ${pid} is not a Node.js process (${what}${argv.length > 1 ? `: ${argv.join(' ').slice(0, 120)}` : ''}). memgate snapshot reads JavaScript heaps through the Node.js inspector; for other processes use 'memgate watch'.`,
    )
  }
  return { pid, exe, argv, sigusr1: await sigusr1Disposition(pid) }
}

/** What the process does on SIGUSR1, from the signal masks in /proc/PID/status. */
export async function sigusr1Disposition(pid: number): Promise<TargetProcess['sigusr1']> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  const mask = (name: string) => {
    const m = new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'mi').exec(status)
    return m ? BigInt(`0x${m[1]}`) : null
  }
  const caught = mask('SigCgt')
  const ignored = mask('SigIgn')
  if (caught === null || ignored === null) return 'unknown'
  if (caught & SIGUSR1_BIT) return 'caught'
  if (ignored & SIGUSR1_BIT) return 'ignored'
  return 'default'
}

/** Where SIGUSR1 makes the target's inspector listen. */
export interface InspectorAddress {
  host: string
  /** 0: the kernel picks a free port. */
  port: number
}

/** Flags whose value is the next argument (so it is not mistaken for the script). */
const VALUE_FLAGS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--inspect-port', '--debug-port', '--title', '-C', '--conditions', '--env-file', '-e', '--eval', '-p', '--print'])

/**
 * The inspector address a SIGUSR1 would open: `--inspect-port`/`--debug-port`, or the port of
 * `--inspect[-brk|-wait]=[host:]port`, from NODE_OPTIONS then the command line (the command line
 * wins, as in Node); 127.0.0.1:9229 by default.
 */
export function inspectorAddressFrom(argv: readonly string[], nodeOptions = ''): InspectorAddress {
  const address: InspectorAddress = { host: '127.0.0.1', port: 9229 }
  const apply = (args: readonly string[]) => {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!
      if (!arg.startsWith('-')) break
      const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
      const takesNext = VALUE_FLAGS.has(flag) && inline === undefined
      const value = inline ?? (takesNext ? args[i + 1] : undefined)
      if (takesNext) i++
      if (value === undefined) continue
      if (flag === '--inspect-port' || flag === '--debug-port' || /^--inspect(?:-brk|-wait)?$/.test(flag)) {
        const m = /^(?:\[?([^\]]*?)\]?:)?(\d+)$/.exec(value)
        if (m) {
          if (m[1]) address.host = m[1]
          address.port = Number(m[2])
        } else if (/^--inspect/.test(flag) && flag !== '--inspect-port') address.host = value
      }
    }
  }
  apply(nodeOptions.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)?.map((a) => a.replace(/["']/g, '')) ?? [])
  apply(argv.slice(1))
  return address
}

/** NODE_OPTIONS of the process, when its environment is readable. */
export async function nodeOptionsOf(pid: number): Promise<string> {
  const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')
  return environ.split('\0').find((e) => e.startsWith('NODE_OPTIONS='))?.slice('NODE_OPTIONS='.length) ?? ''
}

/** A listening TCP socket from /proc/PID/net/tcp{,6}. */
export interface ListeningSocket {
  /** Local address as printed by the kernel (hex), decoded for IPv4 (`127.0.0.1`), `::`-style for IPv6. */
  address: string
  port: number
  inode: number
}

/** Socket inodes held open by the process (its fds that are `socket:[N]`). */
export async function socketInodes(pid: number): Promise<Set<number>> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')))
  const inodes = new Set<number>()
  for (const link of links) {
    const m = /^socket:\[(\d+)\]$/.exec(link)
    if (m) inodes.add(Number(m[1]))
  }
  return inodes
}

/** Every listening TCP socket in the process's network namespace. */
export async function listeningSockets(pid: number): Promise<ListeningSocket[]> {
  const out: ListeningSocket[] = []
  for (const file of ['tcp', 'tcp6']) {
    const text = await readFile(`/proc/${pid}/net/${file}`, 'utf8').catch(() => '')
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f.length < 10 || f[3] !== '0A') continue // 0A: TCP_LISTEN
      const [addrHex, portHex] = f[1]!.split(':') as [string, string]
      out.push({ address: decodeAddress(addrHex), port: parseInt(portHex, 16), inode: Number(f[9]) })
    }
  }
  return out
}

/** Listening sockets the process itself owns. */
export async function ownListeningSockets(pid: number): Promise<ListeningSocket[]> {
  const [inodes, sockets] = await Promise.all([socketInodes(pid), listeningSockets(pid)])
  return sockets.filter((s) => inodes.has(s.inode))
}

function decodeAddress(hex: string): string {
  if (hex.length === 8) {
    const n = parseInt(hex, 16)
    return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.')
  }
  return hex === '00000000000000000000000000000000' ? '::' : hex === '00000000000000000000000001000000' ? '::1' : hex
}

/** Best effort: the PID holding a socket inode (scans /proc; only this user's processes are visible). */
export async function socketOwner(inode: number): Promise<number | null> {
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((p) => /^\d+$/.test(p))
  for (const p of pids) {
    if ((await socketInodes(Number(p))).has(inode)) return Number(p)
  }
  return null
}

/** Memory the snapshot may use: the host's MemAvailable, and the room left in the target's memory cgroup when it has a limit. */
export interface AvailableMemory {
  /** MemAvailable from /proc/meminfo, in bytes. */
  hostAvailableBytes: number
  /** Limit − usage of the target's memory cgroup (v2 memory.max − memory.current, v1 limit_in_bytes − usage_in_bytes), in bytes; null when unlimited or unreadable. */
  cgroupAvailableBytes: number | null
  /** The smaller of the two. */
  availableBytes: number
}

/** Reads MemAvailable and the headroom of the target's memory cgroup (v1 or v2). */
export async function availableMemory(pid: number): Promise<AvailableMemory> {
  const meminfo = await readFile('/proc/meminfo', 'utf8')
  const kib = /^MemAvailable:\s+(\d+)\s+kB/m.exec(meminfo)
  const hostAvailableBytes = kib ? Number(kib[1]) * 1024 : Number.POSITIVE_INFINITY
  let cgroupAvailableBytes: number | null = null
  const cgroup = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '')
  const v1 = /^\d+:(?:[^:]*,)?memory(?:,[^:]*)?:(\/.*)$/m.exec(cgroup)?.[1]
  const v2 = /^0::(\/.*)$/m.exec(cgroup)?.[1]
  // cgroup v1 (a memory controller line) first: hybrid hosts also list an empty v2 path.
  const [dir, maxFile, currentFile] =
    v1 !== undefined ? [`/sys/fs/cgroup/memory${v1 === '/' ? '' : v1}`, 'memory.limit_in_bytes', 'memory.usage_in_bytes'] : v2 !== undefined ? [`/sys/fs/cgroup${v2 === '/' ? '' : v2}`, 'memory.max', 'memory.current'] : []
  if (dir) {
    const [max, current] = await Promise.all([readFile(`${dir}/${maxFile}`, 'utf8').catch(() => 'max'), readFile(`${dir}/${currentFile}`, 'utf8').catch(() => '')])
    // v1 says "no limit" with a huge number (2^63 rounded down to a page).
    const limited = max.trim() !== 'max' && Number(max) < 2 ** 62
    if (limited && current.trim() !== '') cgroupAvailableBytes = Math.max(0, Number(max) - Number(current))
  }
  return { hostAvailableBytes, cgroupAvailableBytes, availableBytes: Math.min(hostAvailableBytes, cgroupAvailableBytes ?? Number.POSITIVE_INFINITY) }
}
