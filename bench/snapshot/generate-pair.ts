/**
 * Child of the snapshot benchmark: builds an object graph whose heap snapshot is about
 * TARGET_MB, takes `before.heapsnapshot`, then plants a leak (`BenchLeak` objects in the global
 * Map `benchLeakCache`) and churns part of the graph (frees some customers, adds others), and
 * takes `after.heapsnapshot`.
 *   node --expose-gc --import tsx bench/snapshot/generate-pair.ts OUT_DIR TARGET_MB
 */
import { join } from 'node:path'
import { captureHeapSnapshot } from '../../src/index.js'
import { addCustomers, BenchLeak, prng, type Customer } from './build-heap.js'
import { report } from './proc.js'

/** Measured: ~5 MB of snapshot for a bare process, ~2.26 KB per customer. */
const BASE_MB = 5
const KB_PER_CUSTOMER = 2.26

const [outDir, targetArg] = process.argv.slice(2)
const targetMb = Number(targetArg)
if (!outDir || !(targetMb > 0)) throw new Error('usage: generate-pair.ts OUT_DIR TARGET_MB')

const random = prng(20240611)
const customers: Customer[] = []
;(globalThis as { benchCustomers?: Customer[] }).benchCustomers = customers
const count = Math.max(1000, Math.round(((targetMb - BASE_MB) * 1000) / KB_PER_CUSTOMER))
addCustomers(customers, count, random, 0)
const before = await captureHeapSnapshot(join(outDir, 'before.heapsnapshot'))

const leakCount = Math.max(10_000, Math.round(count / 10))
const leak = new Map<number, BenchLeak>()
;(globalThis as { benchLeakCache?: Map<number, BenchLeak> }).benchLeakCache = leak
for (let i = 0; i < leakCount; i++) leak.set(i, new BenchLeak(i, `leak-${i}`))
// Churn: 5% of customers freed, as many new ones added, so the diff has noise to see through.
const churn = Math.round(count / 20)
customers.splice(0, churn)
addCustomers(customers, churn, random, count)
const after = await captureHeapSnapshot(join(outDir, 'after.heapsnapshot'))
report({ before, after, leakCount, customers: count })
