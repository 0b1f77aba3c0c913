/**
 * Connection hand-over on recycle: a draining worker gives its kept-alive connections, at a
 * request boundary, to a live worker (through the primary, as file descriptors over the cluster
 * IPC channel) instead of closing them. The client sees no close at all.
 *
 * Why: closing a kept-alive connection can always race the client's next request. Measured in
 * the soak: a draining worker answered with `Connection: close` and closed; autocannon ignores
 * that header (RFC 9112 §9.6 says a client MUST stop sending on such a connection), writes its
 * next request on the closing socket at once, and on the FIN reconnects without reporting an
 * error, so the request it wrote is never answered (4–16 lost per run, 0 errors, the store's row
 * count equal to the answers). Closing an idle connection races any client the same way. Handing
 * the socket over instead leaves every byte the client sent in the kernel's buffer for the next
 * owner.
 *
 * A connection is handed over only when nothing of a request is in this process: no response
 * pending on it, nothing left to write, and its HTTP parser has not begun a new message
 * (Node's own idle list, the one `server.closeIdleConnections()` uses). Reading is stopped in
 * the same tick, so no byte can be read between the check and the transfer.
 */
import type { Server } from 'node:http'
import { Socket } from 'node:net'

/** A libuv stream handle (`socket._handle`): what crosses the IPC channel. */
export interface StreamHandle {
  readStop(): number
  readStart(): number
  close(callback?: () => void): void
}

/** Node's list of a server's connections, keyed by an internal symbol (Node ≥ 18.2). */
interface ConnectionsList {
  idle(): { socket?: Socket }[]
}

function connectionsOf(server: Server): ConnectionsList | null {
  const key = Object.getOwnPropertySymbols(server).find((s) => s.description === 'http.server.connections')
  const list = key ? (server as unknown as Record<symbol, unknown>)[key] : undefined
  return list && typeof (list as ConnectionsList).idle === 'function' ? (list as ConnectionsList) : null
}

/** True when this Node exposes what a safe hand-over needs; otherwise drains close connections as before. */
export function canHandOver(server: Server): boolean {
  return connectionsOf(server) !== null
}

/**
 * Tracks a server's connections and the responses pending on each, and hands idle ones over.
 * `send` transfers a handle (resolves once it is written to the IPC channel, i.e. the receiver
 * holds its own descriptor).
 */
export class ConnectionTracker {
  private readonly sockets = new Set<Socket>()
  private readonly pending = new Map<Socket, number>()
  private readonly leaving = new Set<Socket>()
  private emptyWaiters: (() => void)[] = []
  /** Connections handed over so far. */
  handedOver = 0

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket)
      socket.once('close', () => {
        this.sockets.delete(socket)
        this.pending.delete(socket)
        this.leaving.delete(socket)
        if (this.sockets.size === 0) for (const w of this.emptyWaiters.splice(0)) w()
      })
    })
    // 'request' is emitted synchronously when a request's headers are parsed, before any hook.
    server.on('request', (req, res) => {
      const socket = req.socket
      this.pending.set(socket, (this.pending.get(socket) ?? 0) + 1)
      res.once('close', () => {
        const n = (this.pending.get(socket) ?? 1) - 1
        if (n > 0) this.pending.set(socket, n)
        else this.pending.delete(socket)
        this.onSettled?.(socket)
      })
    })
  }

  /** Called after each response on a socket has fully ended (set while draining). */
  onSettled: ((socket: Socket) => void) | null = null

  get size(): number {
    return this.sockets.size
  }

  /** Resolves when every connection has closed or left. */
  whenEmpty(): Promise<void> {
    if (this.sockets.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.emptyWaiters.push(resolve))
  }

  /** Connections with nothing of a request in this process right now. */
  idle(): Socket[] {
    const parsedIdle = new Set(
      connectionsOf(this.server)
        ?.idle()
        .map((p) => p.socket) ?? [],
    )
    return [...this.sockets].filter((s) => this.isIdle(s, parsedIdle))
  }

  private isIdle(socket: Socket, parsedIdle: Set<Socket | undefined>): boolean {
    if (socket.destroyed || this.leaving.has(socket) || (this.pending.get(socket) ?? 0) > 0 || socket.writableLength > 0) return false
    // Nothing read yet (a fresh or adopted connection): its parser counts as busy, but there is nothing to lose.
    return socket.bytesRead === 0 || parsedIdle.has(socket)
  }

  /** Hands one idle socket over; false when it was not idle or the transfer failed (it then stays here). */
  async handOver(socket: Socket, send: (handle: StreamHandle) => Promise<void>): Promise<boolean> {
    const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle
    if (!handle || !this.idle().includes(socket)) return false
    this.leaving.add(socket)
    // Same tick as the idle check: from here on the bytes stay in the kernel for the next owner,
    // and nothing in this process may start reading again.
    handle.readStop()
    handle.readStart = () => 0
    try {
      await send(handle)
    } catch {
      // Not transferred: it is still only ours. Close it (the old behaviour) rather than read from
      // a stream whose reading was stopped mid-way.
      socket.destroy()
      return false
    }
    this.handedOver++
    // Our descriptor only: the connection lives on in the receiver (no FIN, no RST is sent).
    socket.destroy()
    return true
  }
}

/** Wraps a handle received from the primary as a socket of `server` (it then reads and parses as usual). */
export function adoptHandle(server: Server, handle: StreamHandle): Socket {
  const socket = new Socket({ handle, readable: true, writable: true } as unknown as ConstructorParameters<typeof Socket>[0])
  server.emit('connection', socket)
  return socket
}
