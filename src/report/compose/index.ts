/** Composes a computed report into a localised document, section by section, in the Phase 3 report's order. */
import type { Report } from '../model/report.js'
import { comparisonSection } from './comparison.js'
import { composeContext } from './context.js'
import type { Doc } from './doc.js'
import { conclusionSection, indicatorsSection, leaksSection, methodSection, recommendationsSection } from './findings.js'
import { distributionSection, timelineSection } from './memory.js'
import { metricsSection, ratingSection } from './metrics.js'
import { nativeSection } from './native.js'
import { settingsSection } from './settings.js'
import { summarySection } from './summary.js'
import { validationSection } from './validation.js'

export { chartsOf, SECTION_IDS, type Block, type Doc, type Section, type SectionId, type Kpi, type Tone, type Column } from './doc.js'

/** `lean`, or `default → lean` when a comparison changed the profile. */
function profilesText(r: Report): string {
  const after = r.after.profiles.join(', ')
  const before = r.before?.profiles.join(', ')
  return before !== undefined && before !== after ? `${before} → ${after}` : after
}

/** The document of `r`. */
export function composeReport(r: Report): Doc {
  const c = composeContext(r)
  const { m, f } = c
  const run = r.after.run
  const env = run.environment
  const subtitle = [
    r.before ? m.subtitle.compare(r.before.run.id, run.id) : m.subtitle.run(run.id, f.dateTime(run.finishedAt ?? run.createdAt)),
    m.subtitle.profile(profilesText(r)),
    m.subtitle.machine(env.cpuModel, env.cpuCount, f.bytes(env.totalMemoryBytes), env.node),
  ]
  const dirs = [r.before?.dir, r.after.dir].filter((d): d is string => !!d).map((d) => `\`${d}\``).join(', ')
  return {
    lang: r.lang,
    title: r.before ? m.title.compare : m.title.run,
    subtitle,
    sections: [
      summarySection(c),
      metricsSection(c),
      ratingSection(c),
      settingsSection(c),
      validationSection(c),
      distributionSection(c),
      comparisonSection(c),
      timelineSection(c),
      leaksSection(c),
      nativeSection(c),
      indicatorsSection(c),
      recommendationsSection(c),
      conclusionSection(c),
      methodSection(c),
    ],
    footer: m.footer(run.memgateVersion, dirs),
  }
}
