/**
 * The HTML report's stylesheet, inlined so the file opens from disk with no network. System
 * fonts, a 1040 px column, and print rules: A4 margins, no navigation, tables and charts not split
 * across pages, colours kept where they carry meaning.
 */
export const HTML_STYLE = `
:root { --fg:#111827; --muted:#6b7280; --line:#e5e7eb; --bg:#ffffff; --soft:#f9fafb; --pass:#15803d; --pass-bg:#f0fdf4; --fail:#b91c1c; --fail-bg:#fef2f2; --warn:#b45309; --warn-bg:#fffbeb; --info:#1d4ed8; --info-bg:#eff6ff; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 24px 48px; }
header.report-head { border-bottom: 3px solid var(--fg); padding-bottom: 12px; margin-bottom: 18px; }
header.report-head h1 { font-size: 28px; margin: 0 0 6px; letter-spacing: -0.01em; }
header.report-head p { margin: 0; color: var(--muted); font-size: 13.5px; }
nav.toc { font-size: 13px; margin: 0 0 18px; display: flex; flex-wrap: wrap; gap: 4px 14px; }
nav.toc a { color: var(--info); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
section { margin: 0 0 30px; }
h2 { font-size: 20px; margin: 0 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 18px 0 8px; }
p { margin: 0 0 10px; }
svg.mark { display: inline-block; width: 1em; height: 1em; vertical-align: -0.15em; margin-right: 0.1em; }
.callout .title svg.mark { width: 0.95em; height: 0.95em; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; background: #f3f4f6; border-radius: 4px; padding: 1px 4px; overflow-wrap: anywhere; }
.callout { border-left: 6px solid var(--info); background: var(--info-bg); border-radius: 8px; padding: 12px 16px; margin: 0 0 14px; }
.callout .title { font-size: 18px; font-weight: 700; margin: 0 0 4px; }
.callout.pass { border-color: var(--pass); background: var(--pass-bg); } .callout.pass .title { color: var(--pass); }
.callout.fail { border-color: var(--fail); background: var(--fail-bg); } .callout.fail .title { color: var(--fail); }
.callout.warn { border-color: var(--warn); background: var(--warn-bg); } .callout.warn .title { color: var(--warn); }
.kpis { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px; margin: 0 0 14px; }
.kpi { border: 1px solid var(--line); border-top: 4px solid #cbd5e1; border-radius: 8px; padding: 8px 12px; background: var(--soft); }
.kpi.pass { border-top-color: var(--pass); } .kpi.fail { border-top-color: var(--fail); } .kpi.warn { border-top-color: var(--warn); }
.kpi .label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
.kpi .value { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
.kpi .note { font-size: 12.5px; color: var(--muted); }
.kpi.pass .note { color: var(--pass); } .kpi.fail .note { color: var(--fail); }
figure.chart { margin: 8px 0 16px; }
figure.chart img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
.table-wrap { overflow-x: auto; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; white-space: nowrap; }
td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.c, th.c { text-align: center; }
tbody tr:nth-child(even) td { background: #fcfcfd; }
ul, ol { margin: 0 0 12px; padding-left: 22px; } li { margin: 3px 0; }
footer { color: var(--muted); font-size: 12.5px; border-top: 1px solid var(--line); padding-top: 10px; }
@media (max-width: 720px) { .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); } main { padding: 16px 12px; } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 11pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure.chart, .callout, .kpis, tr { break-inside: avoid; page-break-inside: avoid; }
  figure.chart img { border: none; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
`
