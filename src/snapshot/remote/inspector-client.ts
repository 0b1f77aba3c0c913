/**
 * A minimal Chrome DevTools Protocol client over one WebSocket (`ws`: Node 20 has no stable
 * global WebSocket). Commands resolve with their result; events go to listeners; when the socket
 * closes, every pending command rejects with {@link InspectorClosedError}, so a target dying in the
 * middle of a snapshot surfaces at once instead of as a hang.
 */
import WebSocket from 'ws'

/** The socket closed (the target exited, or closed its inspector) while commands were pending. */
export class InspectorClosedError extends Error {
  constructor(readonly closeCode: number) {
    super(`the inspector connection closed (code ${closeCode})`)
    this.name = 'InspectorClosedError'
  }
}

/** The target answered a command with a protocol error. */
export class InspectorCommandError extends Error {
  constructor(
    readonly method: string,
    readonly protocolCode: number,
    message: string,
  ) {
    super(`${method} failed: ${message} (protocol error ${protocolCode})`)
    this.name = 'InspectorCommandError'
  }
}

interface Pending {
  method: string
  resolve(result: unknown): void
  reject(error: Error): void
}

/** An open protocol session. */
export interface InspectorClient {
  /** Sends a command; resolves with its `result`. */
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>
  /** Listens to an event (`HeapProfiler.addHeapSnapshotChunk`, …); returns the unsubscribe function. */
  on(method: string, listener: (params: Record<string, unknown>) => void): () => void
  /** Resolves when the socket has closed, for any reason. */
  readonly closed: Promise<number>
  /** Closes the socket (idempotent) and waits for it. */
  close(): Promise<void>
}

/**
 * Connects to a target's `webSocketDebuggerUrl`.
 * @throws Error when the connection cannot be opened within `timeoutMs`.
 */
export async function connectInspector(url: string, timeoutMs: number): Promise<InspectorClient> {
  // maxPayload 0: chunks are small, but a Runtime.evaluate result or a sampling profile may not be.
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 0, handshakeTimeout: timeoutMs })
  const pending = new Map<number, Pending>()
  const listeners = new Map<string, Set<(params: Record<string, unknown>) => void>>()
  let nextId = 1
  let closeCode: number | null = null
  let resolveClosed!: (code: number) => void
  const closed = new Promise<number>((resolve) => (resolveClosed = resolve))

  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { code: number; message: string } }
    if (message.id !== undefined) {
      const p = pending.get(message.id)
      if (!p) return
      pending.delete(message.id)
      if (message.error) p.reject(new InspectorCommandError(p.method, message.error.code, message.error.message))
      else p.resolve(message.result ?? {})
    } else if (message.method) {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params ?? {})
    }
  })
  socket.on('close', (code) => {
    closeCode = code
    for (const p of pending.values()) p.reject(new InspectorClosedError(code))
    pending.clear()
    resolveClosed(code)
  })

  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  // After the handshake, errors are followed by 'close', which rejects what is pending.
  socket.on('error', () => undefined)

  return {
    send<T>(method: string, params: Record<string, unknown> = {}) {
      if (closeCode !== null) return Promise.reject(new InspectorClosedError(closeCode))
      const id = nextId++
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject })
        socket.send(JSON.stringify({ id, method, params }))
      })
    },
    on(method, listener) {
      let set = listeners.get(method)
      if (!set) listeners.set(method, (set = new Set()))
      set.add(listener)
      return () => set.delete(listener)
    },
    closed,
    async close() {
      if (closeCode === null) socket.close()
      await closed
    },
  }
}
