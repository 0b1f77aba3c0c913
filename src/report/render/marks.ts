/**
 * Status marks in HTML. The report text uses emoji (✅ ❌ ⚠️ ➖ ℹ️), which GitHub renders in
 * Markdown; a browser without an emoji font (headless Linux, many print setups) shows empty boxes,
 * so the HTML draws them as small inline SVG icons instead, with no font or network involved.
 */

const svg = (body: string, cls: string) => `<svg class="mark ${cls}" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">${body}</svg>`

/** Emoji → inline SVG. Order matters: the warning sign carries a variation selector. */
export const MARK_SVG: readonly [string, string][] = [
  ['✅', svg('<circle cx="8" cy="8" r="8" fill="#15803d"/><path d="M4.5 8.3l2.3 2.3 4.7-5" fill="none" stroke="#fff" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"/>', 'pass')],
  ['❌', svg('<circle cx="8" cy="8" r="8" fill="#b91c1c"/><path d="M5.3 5.3l5.4 5.4M10.7 5.3l-5.4 5.4" stroke="#fff" stroke-width="1.9" stroke-linecap="round"/>', 'fail')],
  ['⚠️', svg('<path d="M8 1.2l7.2 13.3H.8z" fill="#d97706" stroke="#d97706" stroke-linejoin="round"/><path d="M8 6v4" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/><circle cx="8" cy="12.4" r="1" fill="#fff"/>', 'warn')],
  ['➖', svg('<circle cx="8" cy="8" r="8" fill="#9ca3af"/><path d="M4.8 8h6.4" stroke="#fff" stroke-width="1.9" stroke-linecap="round"/>', 'neutral')],
  ['ℹ️', svg('<circle cx="8" cy="8" r="8" fill="#1d4ed8"/><path d="M8 7.2v4.4" stroke="#fff" stroke-width="1.9" stroke-linecap="round"/><circle cx="8" cy="4.6" r="1.1" fill="#fff"/>', 'info')],
]

/** Replaces the status emoji of already-escaped HTML with their icons. */
export function markIcons(html: string): string {
  let out = html
  for (const [emoji, icon] of MARK_SVG) out = out.replaceAll(emoji, icon)
  return out
}
