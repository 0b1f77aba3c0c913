/**
 * The few pieces of protobuf the engine needs to read and amend ONNX models (`ModelProto`,
 * `GraphProto`, `NodeProto`, `AttributeProto`, `TensorProto` of onnx.proto) without a protobuf
 * dependency: a field reader over a byte range, and writers for the wire types ONNX uses.
 * Field numbers are ONNX's; the readers accept packed and unpacked repeated scalars alike.
 */

/** One field of a message: its number, wire type and where its payload sits. */
export interface ProtoField {
  field: number
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wire: number
  /** Offset of the field's key, so the whole field is `bytes.subarray(keyStart, end)`. */
  keyStart: number
  /** Payload range (for a varint: empty, `value` holds it). */
  start: number
  end: number
  /** Varint value (wire 0); 0n otherwise. */
  value: bigint
}

/** The fields of the message in `bytes[start, end)`, in order. Throws on a malformed message. */
export function* readFields(bytes: Uint8Array, start = 0, end = bytes.length): Generator<ProtoField> {
  let i = start
  const varint = (): bigint => {
    let r = 0n
    let shift = 0n
    for (;;) {
      if (i >= end) throw new Error('truncated varint')
      const c = bytes[i++]!
      r |= BigInt(c & 0x7f) << shift
      shift += 7n
      if (c < 0x80) return r
      if (shift > 70n) throw new Error('varint too long')
    }
  }
  while (i < end) {
    const keyStart = i
    const key = Number(varint())
    const field = key >>> 3
    const wire = key & 7
    if (field === 0) throw new Error('field number 0')
    if (wire === 0) {
      const value = varint()
      yield { field, wire, keyStart, start: i, end: i, value }
    } else if (wire === 2) {
      const len = Number(varint())
      if (i + len > end) throw new Error('truncated field')
      yield { field, wire, keyStart, start: i, end: i + len, value: 0n }
      i += len
    } else if (wire === 1 || wire === 5) {
      const len = wire === 1 ? 8 : 4
      if (i + len > end) throw new Error('truncated field')
      yield { field, wire, keyStart, start: i, end: i + len, value: 0n }
      i += len
    } else throw new Error(`unsupported wire type ${wire}`)
  }
}

const utf8 = new TextDecoder()

/** A length-delimited field's payload as text. */
export function fieldText(bytes: Uint8Array, f: ProtoField): string {
  return utf8.decode(bytes.subarray(f.start, f.end))
}

/** The int64 values of a repeated field occurrence, packed (wire 2) or not (wire 0). */
export function fieldInts(bytes: Uint8Array, f: ProtoField): number[] {
  if (f.wire === 0) return [Number(BigInt.asIntN(64, f.value))]
  const out: number[] = []
  let i = f.start
  while (i < f.end) {
    let r = 0n
    let shift = 0n
    for (;;) {
      const c = bytes[i++]!
      r |= BigInt(c & 0x7f) << shift
      shift += 7n
      if (c < 0x80) break
    }
    out.push(Number(BigInt.asIntN(64, r)))
  }
  return out
}

/** The float32 values of a field occurrence, fixed32 (wire 5) or packed (wire 2). */
export function fieldFloats(bytes: Uint8Array, f: ProtoField): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset + f.start, f.end - f.start)
  const out: number[] = []
  for (let o = 0; o + 4 <= view.byteLength; o += 4) out.push(view.getFloat32(o, true))
  return out
}

/** The version of an `opset_import` entry (ModelProto field 8) when it is ONNX's default domain, else 0. */
export function defaultDomainOpset(bytes: Uint8Array, f: ProtoField): number {
  let domain = ''
  let version = 0
  for (const o of readFields(bytes, f.start, f.end)) {
    if (o.field === 1) domain = fieldText(bytes, o)
    if (o.field === 2) version = Number(o.value)
  }
  return domain === '' || domain === 'ai.onnx' ? version : 0
}

// --- writers: each returns the encoded field as a byte array -------------------------------

export function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n))
  const out: number[] = []
  do {
    let byte = Number(v & 0x7fn)
    v >>= 7n
    if (v !== 0n) byte |= 0x80
    out.push(byte)
  } while (v !== 0n)
  return out
}

/** A length-delimited field (bytes, string, embedded message). */
export function bytesField(field: number, payload: Uint8Array | readonly number[]): Uint8Array {
  const head = [...varint((field << 3) | 2), ...varint(payload.length)]
  const out = new Uint8Array(head.length + payload.length)
  out.set(head, 0)
  out.set(payload, head.length)
  return out
}

export function stringField(field: number, s: string): Uint8Array {
  return bytesField(field, new TextEncoder().encode(s))
}

export function intField(field: number, n: number): Uint8Array {
  return Uint8Array.from([...varint(field << 3), ...varint(n)])
}

export function floatField(field: number, x: number): Uint8Array {
  const out = new Uint8Array(varint((field << 3) | 5).length + 4)
  const key = varint((field << 3) | 5)
  out.set(key, 0)
  new DataView(out.buffer).setFloat32(key.length, x, true)
  return out
}

/**
 * A length-delimited field as chunks: its key and length, then the payload's chunks as they are,
 * uncopied, so a whole model can be assembled with one copy at the end ({@link concat}).
 */
export function fieldChunks(field: number, payload: readonly Uint8Array[]): Uint8Array[] {
  const length = payload.reduce((n, p) => n + p.length, 0)
  return [Uint8Array.from([...varint((field << 3) | 2), ...varint(length)]), ...payload]
}

/** Concatenates encoded fields into one message body. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}
