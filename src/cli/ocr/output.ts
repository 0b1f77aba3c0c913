/** What `memgate ocr` prints: one JSON object per input, or a table row, with the CLI's clearer messages. */
import { MemgateError } from '../../common/errors.js'
import { characterErrorRate } from '../../common/text-metrics.js'
import { formatMs, formatPercent } from '../../common/units.js'
import { errorJson, okJson, type OcrItem, type OcrJson } from '../../engine/index.js'
import { STDIN_LABEL } from './inputs.js'

/** The table's columns; CER only when ground truth is known. */
export function ocrColumns(withTruth: boolean): { header: string; right?: boolean }[] {
  return [
    { header: 'FILE' },
    { header: 'STATUS' },
    { header: 'LINES', right: true },
    { header: 'CONF', right: true },
    { header: 'TIME', right: true },
    ...(withTruth ? [{ header: 'CER', right: true }] : []),
    { header: 'DATE' },
    { header: 'TOTAL', right: true },
    { header: 'CUR' },
    { header: 'INVOICE' },
    { header: 'TAX ID' },
  ]
}

/** The engine's error with the CLI's words where they are clearer: the image read from `-` is "standard input", not "<buffer>". */
export function clarify(error: MemgateError, label: string): MemgateError {
  let message = error.message
  if (label === STDIN_LABEL) message = message.replaceAll('<buffer>', 'standard input')
  if (message === error.message) return error
  const clear = new MemgateError(error.code, message, { cause: error })
  return clear
}

/** The JSON object of one input (the engine's shape, shared with `memgate serve`). */
export function toJsonLine(item: OcrItem<string | Uint8Array>, label: string): OcrJson {
  if (!item.ok) {
    const error = clarify(item.error, label)
    return errorJson(label, error.code, error.message)
  }
  return okJson(label, item.result)
}

/** The table row of one input. */
export function toRow(item: OcrItem<string | Uint8Array>, label: string, truthText: string | undefined): string[] {
  const file = label.length > 48 ? `…${label.slice(-47)}` : label
  if (!item.ok) return [file, item.error.code, '', '', '', '', '', '', '', '', '']
  const r = item.result
  const f = r.fields
  return [
    file,
    'ok',
    String(r.lines.length),
    r.confidence.toFixed(3),
    formatMs(r.ms),
    truthText === undefined ? '' : formatPercent(characterErrorRate(truthText, r.text), false),
    f.date?.value ?? '',
    f.total?.value ?? '',
    f.currency?.value ?? '',
    f.invoiceNumber?.value ?? '',
    f.taxId ? `${f.taxId.value}${f.taxId.kind ? ` (${f.taxId.kind})` : ''}` : '',
  ]
}
