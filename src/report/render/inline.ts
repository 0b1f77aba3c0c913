/** The two inline marks of report text (`**strong**`, `` `code` ``) as HTML, everything else escaped. */
import { markIcons } from './marks.js'

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')
}

/** Report text to HTML: code spans first (their content is literal), then strong, status icons and line breaks. */
export function inlineHtml(text: string): string {
  const html = text
    .split(/(`[^`]+`)/g)
    .map((part) => {
      if (part.length > 1 && part.startsWith('`') && part.endsWith('`')) return `<code>${escapeHtml(part.slice(1, -1))}</code>`
      return markIcons(escapeHtml(part).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>'))
    })
    .join('')
  return html.replaceAll('\n', '<br>')
}
