/**
 * A plain HTTP/1.1 keep-alive load client that behaves like autocannon: each connection writes its
 * next request the moment an answer arrives, ignores `Connection: close`, and reconnects when the
 * server closes. Unlike autocannon it counts what it sent and what was answered, so a request
 * written into a closing connection shows up as `unanswered` instead of vanishing.
 */
import { connect, type Socket } from 'node:net'

export interface KeepAliveTally {
  sent: number
  /** Answers with any status. */
  answered: number
  statuses: Record<string, number>
  /** Requests written on a connection that closed before answering them. */
  unanswered: number
  /** Socket errors (ECONNRESET, ECONNREFUSED...). */
  errors: string[]
  /** Connections opened (1 per lane when none was ever closed by the server). */
  connects: number
}

/** One answer parsed from `buf` (Content-Length bodies only, as fastify sends), or null when incomplete. */
function takeResponse(buf: Buffer): { status: number; rest: Buffer } | null {
  const end = buf.indexOf('\r\n\r\n')
  if (end < 0) return null
  const head = buf.subarray(0, end).toString('latin1')
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? NaN)
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0)
  if (buf.length < end + 4 + length) return null
  return { status, rest: buf.subarray(end + 4 + length) }
}

/**
 * Sends POST `path` with `body` over `connections` lanes until `stop()` returns true, then waits
 * for every lane's last answer (or its connection's end).
 */
export async function keepAliveLoad(url: string, options: { connections: number; path: string; body: string; contentType: string; stop: () => boolean }): Promise<KeepAliveTally> {
  const { hostname, port } = new URL(url)
  const tally: KeepAliveTally = { sent: 0, answered: 0, statuses: {}, unanswered: 0, errors: [], connects: 0 }
  const request = Buffer.from(`POST ${options.path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: ${options.contentType}\r\nContent-Length: ${Buffer.byteLength(options.body)}\r\n\r\n${options.body}`)

  const lane = () =>
    new Promise<void>((resolve) => {
      let socket: Socket
      let buf: Buffer = Buffer.alloc(0)
      let outstanding = 0
      const next = () => {
        if (options.stop()) {
          socket.destroy()
          resolve()
          return
        }
        outstanding++
        tally.sent++
        socket.write(request)
      }
      const open = () => {
        tally.connects++
        buf = Buffer.alloc(0)
        socket = connect(Number(port), hostname, next)
        socket.on('data', (chunk: Buffer) => {
          buf = Buffer.concat([buf, chunk])
          for (let r = takeResponse(buf); r; r = takeResponse(buf)) {
            buf = r.rest
            outstanding--
            tally.answered++
            tally.statuses[r.status] = (tally.statuses[r.status] ?? 0) + 1
            next() // at once, on the same connection, whatever its headers said
          }
        })
        socket.on('error', (e) => tally.errors.push(String(e)))
        socket.on('close', () => {
          if (options.stop() && outstanding === 0) return resolve()
          tally.unanswered += outstanding
          outstanding = 0
          if (options.stop()) resolve()
          else open()
        })
      }
      open()
    })

  await Promise.all(Array.from({ length: options.connections }, lane))
  return tally
}
