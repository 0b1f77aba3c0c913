/**
 * The HTML report: one self-contained file (inline CSS, charts as PNG data URIs, no script, no
 * external request) that opens from disk and prints well. A pure function of the document and
 * the charts' PNG bytes (STYLE.md §8).
 */
import type { Block, Doc } from '../compose/doc.js'
import { HTML_STYLE } from './html-style.js'
import { escapeHtml, inlineHtml } from './inline.js'

/** PNG bytes by chart id. */
export type ChartImages = ReadonlyMap<string, Uint8Array>

const alignClass = (a: 'left' | 'right' | 'center' | undefined) => (a === 'right' ? ' class="r"' : a === 'center' ? ' class="c"' : '')

function block(b: Block, images: ChartImages): string {
  switch (b.type) {
    case 'paragraph':
      return `<p>${inlineHtml(b.text)}</p>`
    case 'heading':
      return `<h3>${inlineHtml(b.text)}</h3>`
    case 'callout':
      return `<div class="callout ${b.tone}" role="status"><p class="title">${inlineHtml(b.title)}</p><p>${inlineHtml(b.text)}</p></div>`
    case 'kpis':
      return `<div class="kpis">${b.items
        .map((k) => `<div class="kpi ${k.tone}"><div class="label">${inlineHtml(k.label)}</div><div class="value">${inlineHtml(k.value)}</div>${k.note ? `<div class="note">${inlineHtml(k.note)}</div>` : ''}</div>`)
        .join('')}</div>`
    case 'table': {
      const head = b.columns.map((c) => `<th${alignClass(c.align)} scope="col">${inlineHtml(c.header)}</th>`).join('')
      const rows = b.rows.map((r) => `<tr>${b.columns.map((c, i) => `<td${alignClass(c.align)}>${inlineHtml(r[i] ?? '')}</td>`).join('')}</tr>`).join('\n')
      return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`
    }
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul'
      return `<${tag}>${b.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('')}</${tag}>`
    }
    case 'chart': {
      const png = images.get(b.chart.id)
      if (!png) return `<p><em>${escapeHtml(b.chart.alt)}</em></p>`
      const src = `data:image/png;base64,${Buffer.from(png).toString('base64')}`
      return `<figure class="chart" data-chart="${escapeHtml(b.chart.id)}"><img src="${src}" alt="${escapeHtml(b.chart.alt)}" width="${b.chart.width}" height="${b.chart.height}"></figure>`
    }
  }
}

/** The HTML text of `doc`, charts embedded from `images`. */
export function renderHtml(doc: Doc, images: ChartImages): string {
  const toc = doc.sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('')
  const sections = doc.sections.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.blocks.map((b) => block(b, images)).join('\n')}\n</section>`).join('\n')
  return `<!doctype html>
<html lang="${doc.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="memgate">
<title>${escapeHtml(doc.title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<main>
<header class="report-head"><h1>${escapeHtml(doc.title)}</h1>${doc.subtitle.map((l) => `<p>${inlineHtml(l)}</p>`).join('')}</header>
<nav class="toc" aria-label="contents">${toc}</nav>
${sections}
<footer>${inlineHtml(doc.footer)}</footer>
</main>
</body>
</html>
`
}
