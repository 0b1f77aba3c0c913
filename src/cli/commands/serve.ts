/**
 * `memgate serve`: the OCR engine as an HTTP service (fastify on node:cluster workers that
 * recycle; results in SQLite, or PostgreSQL when DATABASE_URL is set). Worker lifecycle events
 * go to stderr as JSON lines. Ctrl-C or SIGTERM drains every worker and exits 0.
 */
import type { Argv } from 'yargs'
import { ExitCode } from '../../common/errors.js'
import { LEAN_PROFILE, PROFILE_NAMES, type ProfileName } from '../../engine/profiles.js'
import { STORE_KINDS, type StoreKind } from '../../service/store/types.js'
import type { CommandContext } from '../io.js'
import { println } from '../io.js'
import type { CommandBody } from '../lazy-command.js'

interface ServeArgs {
  port: number
  host: string
  workers: number
  'max-requests': number
  'max-requests-jitter': number
  'max-memory'?: string
  timeout: number
  concurrency: number
  profile: ProfileName
  threads?: number
  db?: string
  store?: StoreKind
  'max-body': string
  'naive-endpoints': boolean
  'engine-module'?: string
  'events-file'?: string
  quiet: boolean
}

export function serveCommand(ctx: CommandContext): CommandBody<ServeArgs> {
  return {
    builder: (y: Argv) =>
      y
        .option('port', { type: 'number', default: 8080, describe: 'TCP port (0 picks a free one)' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'interface to listen on' })
        .option('workers', { type: 'number', default: 1, describe: 'worker processes (node:cluster)' })
        .option('max-requests', { type: 'number', default: 0, describe: 'a worker retires gracefully after this many requests (0 = never)' })
        .option('max-requests-jitter', { type: 'number', default: 0, describe: 'adds random(0..J) to each worker\'s --max-requests' })
        .option('max-memory', { type: 'string', describe: "retire a worker whose RSS passes this, e.g. '600 MiB' (after its in-flight requests)" })
        .option('timeout', { type: 'number', default: 30, describe: 'seconds before a hung request (or a silent worker) gets its worker killed and replaced' })
        .option('concurrency', { type: 'number', default: 2, describe: 'OCR requests in flight per worker; more get 503 with Retry-After' })
        .option('profile', { choices: PROFILE_NAMES, default: LEAN_PROFILE, describe: 'engine profile' })
        .option('threads', { type: 'number', describe: 'ONNX Runtime intra-op threads per worker [default: cores / workers, at least 1]' })
        .option('store', { choices: STORE_KINDS, describe: 'result store; postgres reads its connection string from DATABASE_URL [default: postgres when DATABASE_URL is set, else sqlite]' })
        .option('db', { type: 'string', describe: 'SQLite file for results (unused with the postgres store) [default: .cache/memgate/serve.db]' })
        .option('max-body', { type: 'string', default: '20 MiB', describe: 'largest upload; larger ones get 413' })
        .option('naive-endpoints', { type: 'boolean', default: false, describe: 'enable ?mode=naive on /results and /stats (whole-table reads, for data-access comparisons)' })
        .option('engine-module', { type: 'string', hidden: true, describe: 'module whose openEngine(options) replaces the built-in engine (tests)' })
        .option('events-file', { type: 'string', describe: 'also append worker lifecycle events (JSON lines) to this file' })
        .option('quiet', { type: 'boolean', default: false, describe: 'do not print lifecycle events on stderr' })
        .example('memgate serve --workers 2 --max-requests 300 --max-requests-jitter 50', 'Two workers, recycled like Gunicorn')
        .example('curl -F file=@invoice.png http://127.0.0.1:8080/ocr', 'OCR an image (multipart)')
        .example('curl -H "content-type: image/png" --data-binary @invoice.png http://127.0.0.1:8080/ocr', 'OCR an image (raw body)') as unknown as Argv<ServeArgs>,
    handler: async (args) => {
      const { jsonLineSink, resolveServeOptions, startService } = await import('../../service/index.js')
      const { io } = ctx
      const options = resolveServeOptions({
        port: args.port,
        host: args.host,
        workers: args.workers,
        maxRequests: args['max-requests'],
        maxRequestsJitter: args['max-requests-jitter'],
        maxMemory: args['max-memory'],
        timeoutSec: args.timeout,
        concurrency: args.concurrency,
        profile: args.profile,
        threads: args.threads,
        db: args.db,
        store: args.store,
        databaseUrl: io.env.DATABASE_URL || undefined,
        maxBodyBytes: args['max-body'],
        naiveEndpoints: args['naive-endpoints'],
        engineModule: args['engine-module'],
        eventsFile: args['events-file'],
        cwd: io.cwd,
      })
      // Refuse a file in the way, /proc or an unwritable place now, before workers start (mkdir -p hangs under /proc).
      const { prepareOutputDir } = await import('../../common/fs.js')
      const { dirname } = await import('node:path')
      if (options.store.kind === 'sqlite') await prepareOutputDir(dirname(options.store.file), '--db')
      if (options.eventsFile) await prepareOutputDir(dirname(options.eventsFile), '--events-file')
      const sink = jsonLineSink((line) => (args.quiet ? undefined : io.stderr.write(line)), options.eventsFile)
      const service = await startService(options, sink)
      const store = options.store.kind === 'sqlite' ? `sqlite ${options.store.file}` : 'postgresql (DATABASE_URL)'
      println(io.stdout, `memgate serve: listening on ${service.url} (${options.workers} worker${options.workers > 1 ? 's' : ''}, profile ${options.profile}, ${options.threads} thread${options.threads > 1 ? 's' : ''} per worker, ${store})`)
      const onSignal = (signal: string) => {
        println(io.stdout, `memgate serve: ${signal}, draining workers`)
        void service.stop(signal)
      }
      const onTerm = () => onSignal('SIGTERM')
      const onInt = () => onSignal('SIGINT')
      process.on('SIGTERM', onTerm)
      process.on('SIGINT', onInt)
      try {
        await service.closed
      } finally {
        process.off('SIGTERM', onTerm)
        process.off('SIGINT', onInt)
      }
      println(io.stdout, 'memgate serve: stopped')
      ctx.exitCode = ExitCode.Ok
    },
  }
}
