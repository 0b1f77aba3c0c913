/**
 * Where RSS lives: the public face of smaps attribution (parser, categoriser, reader, diff).
 * Named re-exports only; the rules and their limits are documented in `rss-categories.ts`.
 */
export { SmapsParser, parseSmaps, type SmapsMapping } from './smaps-parse.js'
export { RSS_CATEGORY, RSS_CATEGORY_KINDS, sharedObjectName, type RssCategoryKind } from './smaps-classify.js'
export { attributeSmaps, type RssAttribution, type RssCategory, type RssHints } from './rss-categories.js'
export { readRssCategories, type RssCategories } from './rss-categories-read.js'
export { describeRssDiff, diffRssCategories, formatDelta, type DescribeRssDiffOptions, type RssCategoryDelta } from './rss-categories-diff.js'
