/** Runs the real CLI (`memgate serve ...`) from source in this process: the tests spawn it with `node --import tsx`. */
import { main } from '../../../src/cli/main.js'

process.exitCode = await main({ argv: process.argv.slice(2), cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr })
