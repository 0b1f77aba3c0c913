/**
 * Streaming `.heapsnapshot` parser. The file is read in chunks through one reusable buffer and
 * never held as text: V8 strings stop at 512 MiB and real snapshots pass that, and JSON.parse
 * would also build one JS value per number. `nodes` and `edges` go straight into typed-array
 * columns sized from the header's counts, `strings` into a compact UTF-8 store, and the tracing
 * sections (`trace_function_infos`, `trace_tree`, `samples`, `locations`) are skipped.
 *
 * Memory: the graph (~17 B/node, ~9 B/edge, the strings' UTF-8 bytes) plus two 4 MiB read
 * buffers, about 0.65× the file size for V8 snapshots (see the README's memory bound).
 */
import { open, stat, type FileHandle } from 'node:fs/promises'
import { resolve } from 'node:path'
import { MiB } from '../../common/units.js'
import { InputError, MemgateError } from '../../common/errors.js'
import { describeFsError, fileKind } from '../../common/fs.js'
import { SnapshotInvalidError, snapshotNotFound } from '../errors.js'
import type { HeapGraph } from '../graph.js'
import { StringStoreBuilder } from '../string-store.js'
import { assembleGraph } from './assemble.js'
import { ChunkReader, DEFAULT_CHUNK_BYTES, describeByte, SnapshotSyntaxError, type ProgressCallback } from './chunk-reader.js'
import { EdgeSink, NodeSink } from './column-sinks.js'
import { parseHeader, type SnapshotHeader } from './header.js'
import { IntegerArrayScanner } from './scan-integers.js'
import { StringArrayScanner } from './scan-strings.js'
import { ValueScanner } from './scan-value.js'
import { FlatArraySkipper } from './scan-flat-skip.js'

/** Options of {@link parseHeapSnapshot}. */
export interface ParseOptions {
  /** Called after each chunk read with bytes read so far and the file size. @default none */
  onProgress?: ProgressCallback
  /** Read buffer size in bytes (two are used, one being read ahead). @default 4 MiB */
  chunkBytes?: number
  /**
   * Skip the edges: the graph gets nodes and strings only (`edgeCount` 0, `fileEdgeCount` the
   * edges the file holds), in about a third of the time and memory. Enough for per-class counts
   * and diffs by id, not for dominators or retainer paths. @default false
   */
  skipEdges?: boolean
}

/** Sections that are flat arrays of numbers in every snapshot format version. */
const FLAT_SECTIONS = new Set(['locations', 'samples', 'trace_function_infos'])

/** The header is a few KiB; anything much bigger is not a snapshot header. */
const HEADER_LIMIT_BYTES = 1 * MiB
const KEY_LIMIT_BYTES = 1024

interface Scanner {
  done: boolean
  scan(r: ChunkReader): void
}

/**
 * Parses a heap snapshot file into a {@link HeapGraph}.
 * @param path file path (resolved against the current directory).
 * @throws InputError `SNAPSHOT_NOT_FOUND` when there is no such file;
 *   {@link SnapshotInvalidError} (`SNAPSHOT_INVALID`) with the byte offset where parsing failed
 *   when the file is empty, truncated or not a heap snapshot.
 * @example
 * const graph = await parseHeapSnapshot('after.heapsnapshot')
 * console.log(graph.nodeCount, graph.edgeCount)
 */
export async function parseHeapSnapshot(path: string, options: ParseOptions = {}): Promise<HeapGraph> {
  const abs = resolve(path)
  let sizeBytes: number
  try {
    const st = await stat(abs)
    if (st.isDirectory()) throw new SnapshotInvalidError(abs, 0, 'this is a directory, not a file')
    // Devices and pipes report size 0 (or never end): say what they are, not "empty".
    if (!st.isFile()) throw new SnapshotInvalidError(abs, 0, `this is ${fileKind(st)}, not a regular file`)
    sizeBytes = st.size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw snapshotNotFound(abs, error)
    throw unreadable(abs, error)
  }
  if (sizeBytes === 0) throw new SnapshotInvalidError(abs, 0, 'the file is empty (0 bytes)')
  let file: FileHandle | undefined
  let reader: ChunkReader | undefined
  try {
    file = await open(abs, 'r')
    reader = new ChunkReader(file, sizeBytes, options.onProgress, options.chunkBytes ?? DEFAULT_CHUNK_BYTES)
    return await readSnapshot(reader, abs, sizeBytes, options.skipEdges ?? false)
  } catch (error) {
    if (error instanceof SnapshotSyntaxError) throw new SnapshotInvalidError(abs, error.offset, error.message, { cause: error })
    throw unreadable(abs, error)
  } finally {
    await reader?.settle()
    await file?.close()
  }
}

/** A file-system error (ELOOP, EACCES, EIO...) as the input error it is; other errors pass through. */
function unreadable(path: string, error: unknown): unknown {
  if (error instanceof MemgateError || typeof (error as NodeJS.ErrnoException | undefined)?.code !== 'string' || (error as { syscall?: unknown }).syscall === undefined) return error
  return new InputError('SNAPSHOT_INVALID', `Cannot read heap snapshot ${path}: ${describeFsError(error)}.`, path, { cause: error })
}

async function readSnapshot(r: ChunkReader, path: string, sizeBytes: number, skipEdges: boolean): Promise<HeapGraph> {
  const first = await r.peekNonSpace()
  if (first !== 0x7b) {
    throw new SnapshotSyntaxError(r.offset(), `expected '{' (a heap snapshot is a JSON object starting with {"snapshot":...) but found ${describeByte(first)}`)
  }
  r.pos++
  let header: SnapshotHeader | undefined
  let nodes: NodeSink | undefined
  let edges: EdgeSink | undefined
  let strings: StringStoreBuilder | undefined
  /** Edges in the file when they are skipped (the header's count, or counted while skipping). */
  let skippedEdges: number | undefined
  const at = { nodes: 0, edges: 0, strings: 0 }
  const seen = new Set<string>()
  let c = await r.peekNonSpace()
  if (c === 0x7d) {
    r.pos++
  } else {
    for (;;) {
      const keyOffset = r.offset()
      const key = await readKey(r)
      if (seen.has(key)) throw new SnapshotSyntaxError(keyOffset, `duplicate key '${key}'`)
      seen.add(key)
      await expect(r, 0x3a, `':' after "${key}"`)
      await r.peekNonSpace()
      const valueOffset = r.offset()
      const needHeader = () => {
        if (!header) throw new SnapshotSyntaxError(valueOffset, `'${key}' appears before the 'snapshot' header; memgate reads snapshots whose header comes first, as V8 and Chrome write them`)
        return header
      }
      switch (key) {
        case 'snapshot': {
          const v = new ValueScanner(key, HEADER_LIMIT_BYTES)
          await run(r, v, key)
          header = parseHeader(v.text(), valueOffset)
          break
        }
        case 'nodes': {
          const h = needHeader()
          nodes = new NodeSink(h.nodeFields, h.nodeCount)
          at.nodes = valueOffset
          await expect(r, 0x5b, `'[' to open 'nodes'`)
          await run(r, new IntegerArrayScanner(nodes, key), key)
          break
        }
        case 'edges': {
          const h = needHeader()
          edges = new EdgeSink(h.edgeFields, skipEdges ? 1 : h.edgeCount)
          at.edges = valueOffset
          await expect(r, 0x5b, `'[' to open 'edges'`)
          if (skipEdges) {
            const skipper = new FlatArraySkipper(h.edgeCount === undefined)
            await run(r, skipper, key)
            skippedEdges = h.edgeCount ?? Math.floor(skipper.count / Math.max(1, h.edgeFields.length))
          } else {
            await run(r, new IntegerArrayScanner(edges, key), key)
          }
          break
        }
        case 'strings': {
          strings = new StringStoreBuilder()
          at.strings = valueOffset
          await expect(r, 0x5b, `'[' to open 'strings'`)
          await run(r, new StringArrayScanner(strings, key), key)
          break
        }
        default:
          if (FLAT_SECTIONS.has(key) && (await r.peekNonSpace()) === 0x5b) {
            r.pos++
            await run(r, new FlatArraySkipper(), key)
          } else {
            await run(r, new ValueScanner(key), key)
          }
      }
      c = await r.peekNonSpace()
      if (c !== 0x7d && c !== 0x2c) {
        const why = c < 0 ? ' (the file looks truncated)' : ''
        throw new SnapshotSyntaxError(r.offset(), `expected ',' or '}' after the value of '${key}' but found ${describeByte(c)}${why}`)
      }
      r.pos++
      if (c === 0x7d) break
    }
  }
  const endOffset = r.offset()
  const trailing = await r.peekNonSpace()
  if (trailing !== -1) throw new SnapshotSyntaxError(r.offset(), `unexpected ${describeByte(trailing)} after the end of the snapshot object`)
  if (!header) throw new SnapshotSyntaxError(endOffset, `no 'snapshot' header`)
  for (const [name, value] of [['nodes', nodes], ['edges', edges], ['strings', strings]] as const) {
    if (!value) throw new SnapshotSyntaxError(endOffset, `no '${name}' section`)
  }
  return assembleGraph({ path, sizeBytes }, header, nodes!, edges!, strings!.build(), at, skipEdges, skippedEdges)
}

/** Feeds chunks to a scanner until its value is complete. */
async function run(r: ChunkReader, scanner: Scanner, section: string): Promise<void> {
  for (;;) {
    scanner.scan(r)
    if (scanner.done) return
    if (!(await r.fill())) throw new SnapshotSyntaxError(r.offset(), `unexpected end of file inside '${section}' (the file looks truncated)`)
  }
}

/** Consumes `expected` after optional whitespace. */
async function expect(r: ChunkReader, expected: number, what: string): Promise<void> {
  const c = await r.peekNonSpace()
  if (c !== expected) throw new SnapshotSyntaxError(r.offset(), `expected ${what} but found ${describeByte(c)}`)
  r.pos++
}

/** Reads an object key (short, plain ASCII in every known snapshot; escapes are kept as written). */
async function readKey(r: ChunkReader): Promise<string> {
  await expect(r, 0x22, 'a quoted key')
  const bytes: number[] = []
  for (;;) {
    const c = await r.peek()
    if (c < 0) throw new SnapshotSyntaxError(r.offset(), 'unexpected end of file inside a key (the file looks truncated)')
    r.pos++
    if (c === 0x22) return Buffer.from(bytes).toString('utf8')
    bytes.push(c)
    if (c === 0x5c) {
      const next = await r.peek()
      if (next >= 0) {
        bytes.push(next)
        r.pos++
      }
    }
    if (bytes.length > KEY_LIMIT_BYTES) throw new SnapshotSyntaxError(r.offset(), `a key longer than ${KEY_LIMIT_BYTES} bytes; this is not a heap snapshot`)
  }
}
