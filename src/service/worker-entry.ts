/** The file node:cluster runs in each worker: read the resolved options, serve, exit when drained. */
import { runWorker } from './worker.js'
import { OPTIONS_VAR } from './protocol.js'
import type { ResolvedServeOptions } from './options.js'

const options = JSON.parse(process.env[OPTIONS_VAR] ?? 'null') as ResolvedServeOptions | null
if (!options) {
  process.stderr.write(`memgate serve worker: ${OPTIONS_VAR} is not set; workers are started by the primary (memgate serve).\n`)
  process.exit(2)
}
try {
  await runWorker(options)
  process.exit(0)
} catch (error) {
  process.stderr.write(`memgate serve worker ${process.pid}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
}
