/**
 * Large generated inputs for the memory bound (issue 16, item 3), written once under
 * `.cache/large-inputs/`: a 150-dpi A4 page (the reference), the same page at 300 dpi, a
 * 24-megapixel phone photo of it (6000×4000 JPEG, and the same photo as PNG for the bench) and a
 * 4000-px-tall receipt, plus two warm-up reads: that receipt at the generator's own size (it loads
 * the Portuguese lexicon the A4 page does not need) and the A4 page as a JPEG at its own size
 * (libjpeg's first use in a process leaves ~5–10 MiB of decoder buffers in malloc's arenas,
 * whatever the resolution). Made by scaling generated documents with sharp, so the text is real
 * and the truth is the generator's.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateDocument, projectRoot } from '../../../scenarios/fixtures/index.js'
import { loadSharp } from '../../../scenarios/fixtures/sharp-loader.js'

/** The inputs by name. */
export const LARGE_INPUTS = ['a4-150dpi', 'a4-300dpi', 'photo-24mp', 'receipt-4000px'] as const
export type LargeInput = (typeof LARGE_INPUTS)[number]

/**
 * Measured by bench/engine-large.ts only: the 24-megapixel photo saved as PNG, a format libvips
 * cannot shrink while decoding. Its resize pipeline holds ~24 MB of libvips buffers (sharp's
 * tracked high-water mark; ~11 MB for the JPEG, ~2 MB for a page decoded at its own size). In a
 * process that has read pages before, that transient lands on top of ONNX Runtime's grown arena:
 * the read peaks +17 to +21 MiB over the page (`--warm`), outside the test's 10 MiB bound, so it
 * is reported rather than asserted. As a fresh process's first read it peaks −2 MiB.
 */
export const BENCH_INPUTS = ['png-24mp'] as const

/** Read before measuring, so the measured reads find the engine at its working size: the reference page (PNG and JPEG) and a receipt at its own size. */
export const WARMUP_INPUTS = ['a4-150dpi', 'a4-150dpi-jpeg', 'receipt'] as const

/** Every generated input's name. */
export type InputName = LargeInput | (typeof WARMUP_INPUTS)[number] | (typeof BENCH_INPUTS)[number]

/** Whole files or none: a run stopped while generating leaves no half image behind. */
function put(path: string, bytes: Uint8Array): void {
  writeFileSync(`${path}.tmp`, bytes)
  renameSync(`${path}.tmp`, path)
}

/** Writes the inputs (when missing) and returns their paths. */
export async function ensureLargeInputs(): Promise<Record<InputName, string>> {
  const dir = join(projectRoot(), '.cache', 'large-inputs', 'v2')
  mkdirSync(dir, { recursive: true })
  const paths: Record<InputName, string> = {
    receipt: join(dir, 'receipt.png'),
    'a4-150dpi': join(dir, 'a4-150dpi.png'),
    'a4-150dpi-jpeg': join(dir, 'a4-150dpi.jpg'),
    'a4-300dpi': join(dir, 'a4-300dpi.png'),
    'photo-24mp': join(dir, 'photo-24mp.jpg'),
    'png-24mp': join(dir, 'photo-24mp.png'),
    'receipt-4000px': join(dir, 'receipt-4000px.png'),
  }
  if (Object.values(paths).every((p) => existsSync(p))) return paths
  const sharp = await loadSharp()
  const a4 = await generateDocument({ seed: 4242, lang: 'es', kind: 'invoice', layout: 'a4-classic' })
  put(paths['a4-150dpi'], a4.image)
  put(paths['a4-150dpi-jpeg'], await sharp(a4.image).jpeg({ quality: 88 }).toBuffer())
  put(paths['a4-300dpi'], await sharp(a4.image).resize(2480, 3508).png({ compressionLevel: 3 }).toBuffer())
  // A phone photo: the page upright, filling the 4000-px side of a 6000×4000 frame on a grey table.
  const page = await sharp(a4.image).resize({ height: 3800 }).toBuffer()
  const photo = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: { r: 96, g: 90, b: 84 } } })
    .composite([{ input: page, left: 1650, top: 100 }])
    .jpeg({ quality: 88 })
    .toBuffer()
  put(paths['photo-24mp'], photo)
  put(paths['png-24mp'], await sharp(photo).png({ compressionLevel: 3 }).toBuffer())
  const receipt = await generateDocument({ seed: 4243, lang: 'pt', kind: 'receipt', totals: 'tendered-change' })
  put(paths.receipt, receipt.image)
  put(paths['receipt-4000px'], await sharp(receipt.image).resize({ height: 4000 }).png({ compressionLevel: 3 }).toBuffer())
  return paths
}
