/** Validation of precision, load, stress and stability: status and figures per area. */
import type { ValidationFigure } from '../model/validation.js'
import type { Section } from './doc.js'
import { MARK, type ComposeContext } from './context.js'
import { noiseText, valueText } from './text.js'

function label(c: ComposeContext, fig: ValidationFigure): string {
  return fig.detail ? c.m.fieldAccuracyOf(fig.detail) : c.m.figure[fig.key]
}

/** The validation section: one sub-heading per area. */
export function validationSection(c: ComposeContext): Section {
  const { m, f } = c
  const blocks: Section['blocks'] = []
  for (const item of c.r.after.validation) {
    blocks.push({ type: 'heading', text: `${MARK[item.status]} ${m.area[item.area]}` })
    if (item.status === 'not-run') {
      blocks.push({ type: 'paragraph', text: m.notRun(item.area) })
      continue
    }
    blocks.push({ type: 'paragraph', text: m.areaStatus(m.status[item.status], item.scenarios.map((s) => `\`${s}\``).join(', ')) })
    if (item.figures.length) {
      blocks.push({
        type: 'table',
        columns: [{ header: m.col.figure }, { header: m.col.value, align: 'right' }, { header: m.col.noise, align: 'right' }],
        rows: item.figures.map((fig) => [label(c, fig), valueText(f, fig.unit, fig.value), noiseText(f, fig.unit, fig.spread)]),
      })
    }
  }
  return { id: 'validation', title: m.section.validation, blocks }
}
