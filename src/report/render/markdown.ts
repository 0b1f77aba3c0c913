/**
 * The Markdown report: GitHub-flavoured, readable as plain text, charts as PNG files next to it
 * (`![alt](chart-….png)`). A pure function of the document (STYLE.md §8).
 */
import type { Block, Doc, Tone } from '../compose/doc.js'

const TONE_MARK: Readonly<Record<Tone, string>> = { pass: '✅', fail: '❌', warn: '⚠️', info: 'ℹ️', neutral: '' }

/** A table cell: pipes escaped, line breaks as `<br>` (the one HTML tag GitHub tables need). */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', '<br>')
}

function table(columns: readonly { header: string; align?: 'left' | 'right' | 'center' }[], rows: readonly (readonly string[])[]): string {
  const align = columns.map((c) => (c.align === 'right' ? '---:' : c.align === 'center' ? ':---:' : '---'))
  return [`| ${columns.map((c) => cell(c.header)).join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${columns.map((_, i) => cell(r[i] ?? '')).join(' | ')} |`)].join('\n')
}

function block(b: Block): string {
  switch (b.type) {
    case 'paragraph':
      return b.text
    case 'heading':
      return `### ${b.text}`
    case 'callout':
      return `> **${b.title}**\n>\n> ${b.text}`
    case 'kpis':
      return table(
        [{ header: '' }, { header: '', align: 'right' }, { header: '' }],
        b.items.map((k) => [`${TONE_MARK[k.tone]} ${k.label}`.trim(), `**${k.value}**`, k.note ?? '']),
      )
    case 'table':
      return table(b.columns, b.rows)
    case 'list':
      return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${item.replaceAll('\n', ' ')}`).join('\n')
    case 'chart':
      // Brackets would end the alt text early.
      return `![${b.chart.alt.replace(/[[\]]/g, '')}](${b.chart.file})`
  }
}

/** The Markdown text of `doc`. */
export function renderMarkdown(doc: Doc): string {
  const parts = [`# ${doc.title}`, doc.subtitle.join('  \n')]
  for (const s of doc.sections) {
    parts.push(`## ${s.title}`)
    for (const b of s.blocks) parts.push(block(b))
  }
  parts.push('---', `_${doc.footer}_`)
  return `${parts.join('\n\n')}\n`
}
