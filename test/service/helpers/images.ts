/** Small generated images for the service tests. */
import { crc32 } from 'node:zlib'
import { renderPage } from '../../helpers/render-page.js'

/** A small invoice-like page the real engine reads in ~0.2 s. */
export function smallPage(lines: readonly string[] = ['INVOICE 123', 'Total 45.00 EUR']): Buffer {
  return renderPage(lines, { width: 400, height: 40 + lines.length * 40, fontPx: 22 })
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A decompression bomb: a few dozen bytes whose PNG header declares `side`×`side` RGB pixels. */
export function bombPng(side = 30000): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(side, 0)
  ihdr.writeUInt32BE(side, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00])), chunk('IEND', Buffer.alloc(0))])
}
