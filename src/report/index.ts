/**
 * report: the optimisation report of a run, or of two runs before and after. Pure: computes from
 * run.json data and the gate's verdicts, imports only types from `scenario` and `baseline`, and
 * never loads native OCR code (charts use Chart.js on @napi-rs/canvas, loaded when drawn).
 */
export { LANGS, REPORT_FORMATS, type Lang, type ReportFormat, type JudgedRun, type ReportInput } from './input.js'
export { generateReport, REPORT_FILES, type GeneratedReport, type ReportFile } from './generate.js'
export { buildReport, type Report } from './model/report.js'
export { composeReport, chartsOf, SECTION_IDS, type Doc, type Section, type SectionId, type Block } from './compose/index.js'
export { renderMarkdown } from './render/markdown.js'
export { renderHtml, type ChartImages } from './render/html.js'
export { renderChartPng, PIXEL_RATIO } from './charts/render.js'
export type { ChartSpec } from './charts/spec.js'
export { formatterFor, LOCALE_TAGS, type Formatter } from './format.js'
export { LOCALES, messagesFor, type Messages } from './locales/index.js'
export { rate, headroomOf, RATINGS, RATING_THRESHOLDS, type Rating, type RatingResult } from './model/rating.js'
export { RECOMMENDATION_IDS, type Recommendation, type RecommendationId, type Severity } from './model/recommendation.js'
export { recommend, RECOMMENDATION_RULES } from './model/recommend/index.js'
export type { ScenarioFigures, StageFigures } from './model/figures.js'
export type { Headline, HeadlineKey, HeadlineFigure } from './model/headline.js'
export { profilesFileSchema, parseProfilesFile, profilesSummary, PROFILE_FIGURE_KEYS, PROFILES_SCHEMA_VERSION, type ProfilesFile, type ProfileFigure, type ProfilesProvenance } from './model/profiles.js'
export type { Distribution, DistributionLayer } from './model/distribution.js'
export type { Indicator } from './model/indicators.js'
export type { ValidationItem, CheckStatus } from './model/validation.js'
