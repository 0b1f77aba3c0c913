/**
 * Builds a deterministic object graph of a chosen heap-snapshot size in the current process, for
 * the snapshot benchmark: customers with orders, line items, tags (shared and unique strings),
 * Maps and arrays, so the snapshot has the mix of node and edge types a service heap has.
 */

/** Seeded PRNG (mulberry32): the same seed builds the same graph. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class LineItem {
  constructor(
    readonly sku: string,
    readonly quantity: number,
    readonly priceCents: number,
  ) {}
}

export class Order {
  readonly items: LineItem[] = []
  readonly meta = new Map<string, string>()
  constructor(
    readonly id: number,
    readonly note: string,
  ) {}
}

export class Customer {
  readonly orders: Order[] = []
  readonly tags: string[] = []
  constructor(
    readonly id: number,
    readonly name: string,
    readonly email: string,
  ) {}
}

/** The planted leak: instances retained between the two snapshots of a pair. */
export class BenchLeak {
  readonly payload: number[]
  constructor(
    readonly id: number,
    readonly label: string,
  ) {
    this.payload = [id, id + 1, id + 2]
  }
}

const TAGS = ['gold', 'silver', 'bronze', 'eu', 'us', 'apac', 'new', 'vip', 'churn-risk', 'b2b']

/** Appends `count` customers (about 40 snapshot nodes each) to `into`. */
export function addCustomers(into: Customer[], count: number, random: () => number, firstId: number): void {
  for (let i = 0; i < count; i++) {
    const id = firstId + i
    const c = new Customer(id, `customer-${id}`, `c${id}@example.test`)
    c.tags.push(TAGS[Math.floor(random() * TAGS.length)]!, TAGS[Math.floor(random() * TAGS.length)]!)
    const orders = 1 + Math.floor(random() * 3)
    for (let o = 0; o < orders; o++) {
      const order = new Order(id * 10 + o, random() < 0.3 ? `note ${id}-${o}` : '')
      const items = 1 + Math.floor(random() * 4)
      for (let k = 0; k < items; k++) order.items.push(new LineItem(`sku-${Math.floor(random() * 5000)}`, 1 + (k % 3), Math.floor(random() * 10_000)))
      order.meta.set('channel', random() < 0.5 ? 'web' : 'store')
      c.orders.push(order)
    }
    into.push(c)
  }
}
