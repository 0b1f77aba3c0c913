/** Engine and runtime settings, and in a comparison the ones that differ ("what was optimised"). */
import type { Section } from './doc.js'
import { settingText, type ComposeContext } from './context.js'

/** The settings section. */
export function settingsSection(c: ComposeContext): Section {
  const { m, f } = c
  const blocks: Section['blocks'] = []
  if (c.r.before) {
    const changes = c.r.settingChanges
    if (changes.length === 0) blocks.push({ type: 'paragraph', text: m.settings.noneChanged })
    else {
      blocks.push({ type: 'paragraph', text: m.settings.changedIntro(changes.length) })
      blocks.push({
        type: 'table',
        columns: [{ header: m.col.setting }, { header: m.col.before }, { header: m.col.after }],
        rows: changes.map((ch) => [`\`${ch.key}\``, settingText(m, f, ch.key, ch.before), `**${settingText(m, f, ch.key, ch.after)}**`]),
      })
    }
  }
  const { settings, settingConflicts } = c.r.after
  blocks.push({ type: 'table', columns: [{ header: m.col.setting }, { header: m.col.value }], rows: settings.map((s) => [`\`${s.key}\``, settingText(m, f, s.key, s.value)]) })
  if (settingConflicts.length) blocks.push({ type: 'paragraph', text: m.settings.conflicts(settingConflicts.map((k) => `\`${k}\``).join(', ')) })
  return { id: 'settings', title: m.section.settings, blocks }
}
