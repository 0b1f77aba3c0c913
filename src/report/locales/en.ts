/**
 * English words of the report. The shape of this object is the `Messages` type every locale
 * implements (`messages.ts`); figures arrive already formatted, so only the words and their order
 * are the locale's.
 */
import type { MetricKey } from '../../baseline/metrics/catalogue.js'
import type { SectionId } from '../compose/doc.js'
import type { Formatter } from '../format.js'
import type { HeadlineKey } from '../model/headline.js'
import type { Indicator } from '../model/indicators.js'
import type { Rating } from '../model/rating.js'
import type { Recommendation, RecommendationId, Severity } from '../model/recommendation.js'
import type { ScenarioRole } from '../model/role.js'
import type { CheckStatus, FigureKey, ValidationArea } from '../model/validation.js'

type Rec<K extends RecommendationId> = Extract<Recommendation, { id: K }>
type Ind<K extends Indicator['id']> = Extract<Indicator, { id: K }>
/** Figures and labels a recommendation or indicator sentence needs, formatted for its language. */
export interface Say {
  f: Formatter
  /** A metric's label (`peak RSS`); the key itself for a metric the locale does not know yet. */
  metric(key: MetricKey): string
  /** A value in the metric's unit. */
  value(unit: Rec<'budget-failed'>['unit'], v: number): string
  /** A setting's value (`on`, `2`, `50.0 MiB`, `unset`). */
  setting(key: string, v: string | number | boolean | null): string
}

export const en = {
  title: { run: 'Memory report', compare: 'Memory report: before and after' },
  subtitle: {
    run: (id: string, date: string) => `Run \`${id}\` · ${date}`,
    compare: (before: string, after: string) => `Before \`${before}\` → after \`${after}\``,
    profile: (profiles: string) => `Engine profile: ${profiles}`,
    machine: (cpu: string, cpus: number, memory: string, node: string) => `${cpu} × ${cpus}, ${memory} RAM, Node ${node}`,
  },
  footer: (version: string, dirs: string) => `Written by memgate ${version} from ${dirs}. Figures are medians over measuring repeats; no heap snapshot was taken in a measuring repeat.`,
  section: {
    summary: 'Executive summary',
    metrics: 'Key metrics against budgets',
    rating: 'Efficiency rating',
    settings: 'Engine and runtime settings',
    validation: 'Validation',
    distribution: 'Memory distribution',
    comparison: 'Before and after',
    timeline: 'Memory over time',
    leaks: 'Leak suspects and growing classes',
    native: 'Native allocations (heaptrack)',
    indicators: 'Success indicators',
    recommendations: 'Recommendations',
    conclusion: 'Conclusion',
    method: 'Method and noise',
  } satisfies Record<SectionId, string>,
  status: {
    pass: 'pass',
    fail: 'fail',
    inconclusive: 'inconclusive',
    crashed: 'crashed',
    measured: 'measured, no budget',
    'not-run': 'not run',
  } satisfies Record<CheckStatus, string>,
  rating: {
    excellent: 'EXCELLENT',
    'very-good': 'VERY GOOD',
    good: 'GOOD',
    fair: 'FAIR',
    critical: 'CRITICAL',
    unrated: 'NOT RATED',
  } satisfies Record<Rating, string>,
  severity: { high: 'high', medium: 'medium', low: 'low' } satisfies Record<Severity, string>,
  banner: {
    allHold: (n: number) => `All ${n} budgets hold`,
    someFail: (failed: number, n: number, list: string) => `${failed} of ${n} budgets failed: ${list}`,
    someInconclusive: (held: number, n: number, inconclusive: number, list: string) => `${held} of ${n} budgets hold; ${inconclusive} inconclusive: ${list}`,
    rest: (held: number, inconclusive: number, list: string) => `${held} hold${inconclusive ? `; ${inconclusive} inconclusive: ${list}` : ''}.`,
    item: (what: string, scenario: string) => `${what} in \`${scenario}\``,
    more: (n: number) => `and ${n} more`,
    none: 'No budget was checked',
    inconclusiveWhy: 'Inconclusive verdicts (too few repeats, too much noise, no baseline or a busy machine) do not fail the run.',
    ratingLine: (rating: string) => `Efficiency rating: **${rating}**.`,
    binding: (metric: string, scenario: string, headroom: string) => `The tightest budget is ${metric} in \`${scenario}\`, ${headroom} under its limit.`,
    failedFirst: (metric: string, scenario: string, message: string) => `First failure: ${metric} in \`${scenario}\`: ${message}`,
    unratedWhy: 'No absolute budget gave a verdict, so no rating is given.',
  },
  headline: {
    rss: 'Steady RSS',
    peakRss: 'Peak RSS',
    startup: 'Startup to ready',
    throughput: 'Throughput',
    cpuPerOp: 'CPU per operation',
    p50Latency: 'Latency p50',
    p95Latency: 'Latency p95',
    confidence: 'Mean confidence',
    cer: 'Character error rate',
  } satisfies Record<HeadlineKey, string>,
  kpi: {
    vsBefore: (change: string) => `${change} vs before`,
    vsBaseline: (change: string) => `${change} vs baseline`,
    from: (scenario: string) => `from \`${scenario}\``,
    budget: (limit: string) => `budget ${limit}`,
  },
  biggest: {
    change: (label: string, before: string, after: string, change: string) => `Biggest change: **${label}** ${before} → ${after} (${change}).`,
    none: 'No headline figure changed beyond the noise of the repeats.',
    layer: (layer: string, bytes: string, share: string) => `Largest memory layer: **${layer}**, ${bytes} (${share} of the startup footprint).`,
  },
  metric: {
    peakRss: 'peak RSS',
    retainedRss: 'retained RSS (after GC)',
    fluctuation: 'RSS fluctuation',
    swap: 'swap',
    drift: 'drift across cycles',
    threads: 'threads',
    heapUsed: 'V8 heap used',
    arrayBuffers: 'ArrayBuffers',
    confidence: 'mean confidence',
    fieldAccuracy: 'field accuracy',
    cer: 'character error rate',
    throughput: 'throughput',
    cpuPerOp: 'CPU time per operation',
    p95Latency: 'p95 latency',
    peakPss: 'peak PSS (tree)',
    workerPeakRss: 'worker peak RSS',
  } as Readonly<Record<string, string>>,
  completedRule: 'repeats completed',
  regression: (metric: string) => `${metric} vs baseline`,
  figure: {
    documents: 'documents',
    cer: 'character error rate',
    cerClean: 'CER, clean pages',
    cerDegraded: 'CER, degraded pages',
    confidence: 'mean confidence',
    fieldAccuracy: 'field accuracy',
    throughput: 'throughput',
    p50Latency: 'latency p50',
    p95Latency: 'latency p95',
    p99Latency: 'latency p99',
    ops: 'operations',
    errors: 'failed operations',
    peakRss: 'peak RSS',
    steadyRss: 'RSS after the work (after GC)',
    cycles: 'cycles',
    drift: 'drift across cycles',
    fluctuation: 'largest RSS swing in a stage',
    released: 'released in the quiet period',
    threads: 'threads (most at once)',
    swap: 'swap',
  } satisfies Record<FigureKey, string>,
  fieldAccuracyOf: (field: string) => `field accuracy: ${field}`,
  area: { precision: 'Precision', load: 'Load', stress: 'Stress', stability: 'Stability' } satisfies Record<ValidationArea, string>,
  role: { startup: 'startup', load: 'load', stress: 'stress', stability: 'stability', precision: 'precision', other: 'other' } satisfies Record<ScenarioRole, string>,
  areaStatus: (status: string, scenarios: string) => `Status: **${status}** (${scenarios}).`,
  notRun: (area: string) => `Not run in this run. Add it with \`memgate run ${area}\`.`,
  col: {
    scenario: 'Scenario',
    metric: 'Metric',
    value: 'Value',
    budget: 'Budget',
    headroom: 'Headroom',
    noise: 'Noise',
    status: 'Status',
    figure: 'Figure',
    before: 'Before',
    after: 'After',
    change: 'Change',
    changePct: 'Change %',
    layer: 'Layer',
    size: 'Size',
    share: 'Share',
    stage: 'Stage',
    kind: 'Kind',
    duration: 'Duration',
    rssBefore: 'RSS before',
    rssAfter: 'RSS after',
    peak: 'Peak',
    heapAfter: 'Heap after',
    ops: 'Ops',
    p95: 'p95',
    setting: 'Setting',
    class: 'Class',
    source: 'Source',
    objects: 'Objects',
    retainer: 'Retainer path',
    rating: 'Rating',
    condition: 'Condition',
    repeats: 'Repeats',
  },
  metricsNote: 'Values are medians over the completed measuring repeats. Headroom is the share of the distance from the budget to the ideal that the figure keeps. Noise is the median absolute deviation, the coefficient of variation and the number of repeats.',
  gateSays: 'What the gate says about each verdict that did not pass:',
  noVerdicts: 'No budget was checked for this run (`memgate report` applies the budgets of memgate.config, or the built-in ones).',
  ratingScale: {
    intro: 'The rating is the smallest headroom over the absolute budgets that passed: the tightest budget decides.',
    excellent: 'every budget holds, smallest headroom ≥ 50%',
    'very-good': 'smallest headroom ≥ 30%',
    good: 'smallest headroom ≥ 15%',
    fair: 'smallest headroom ≥ 0%',
    critical: 'a budget failed or a repeat crashed',
    unrated: 'no absolute budget gave a verdict',
    current: '← this run',
  } satisfies Record<Rating | 'intro' | 'current', string>,
  settings: {
    changedIntro: (n: number) => `${n} settings differ between the runs:`,
    noneChanged: 'The runs were measured with the same settings.',
    conflicts: (keys: string) => `Scenarios of this run recorded different values for: ${keys}. The table shows the first scenario's.`,
    on: 'on',
    off: 'off',
    unset: 'unset',
  },
  layer: {
    base: 'Node base (process and harness)',
    runtime: 'Runtime (engine code, onnxruntime-node, sharp)',
    models: 'Models (ONNX Runtime sessions)',
    caches: 'Caches',
    'working-set': 'Working set (first work)',
  } as Record<string, string>,
  distribution: {
    intro: (scenario: string, n: number) => `Layers of RSS at start, measured in \`${scenario}\` (${n === 1 ? 'one repeat' : `medians of ${n} repeats`}): each is a stage's after-GC RSS minus the layer below; the working set is the peak of the first work above the last layer.`,
    total: 'Total',
    none: 'No scenario with startup stages ran, so there is no distribution. Run `memgate run startup` to get one.',
    measured: (stage: string, n: number) => `Measured components: where RSS lives at the end of \`${stage}\` (from /proc/<pid>/smaps, read by the runner; ${n === 1 ? 'one repeat' : `medians of ${n} repeats`}). Shared objects count their resident code and data; PSS shares pages with other processes.`,
    component: 'Component',
  },
  comparison: {
    intro: 'Headline figures of both runs. A change within about two standard deviations of the noisier side is marked "≈ noise".',
    withinNoise: '≈ noise',
    stagesIntro: 'Peak RSS per stage:',
    baselineIntro: 'Changes the gate measured against the committed baseline:',
    noBaseline: 'No baseline to compare with. Commit one with `memgate baseline update`, or compare two runs with `memgate compare BEFORE AFTER`.',
    profilesIntro: (before: string, after: string, repeats: string) => `Profiles: \`${before}\` → \`${after}\` (${repeats}, committed with their provenance). ✅ the change goes the better way, ❌ the worse:`,
    profilesRepeats: (before: number, after: number) => (before === after ? `${before} measuring repeat${before === 1 ? '' : 's'} each` : `${before} and ${after} measuring repeats`),
    profilesProvenance: (date: string, commit: string, command: string, machine: string, load: string | null) =>
      `Measured ${date} at commit ${commit} on ${machine}${load ? `, load average ${load}` : ''}, with \`${command}\`.`,
    noCommit: 'none (outside git)',
    retainedAtReady: 'Retained RSS at ready (after GC)',
    compositionIntro: (scenario: string, stage: string, against: 'baseline' | 'before', summary: string | null) =>
      `Where RSS lives at the end of \`${stage}\` in \`${scenario}\`, against ${against === 'baseline' ? "the baseline's composition" : 'the before run'} (smaps categories read by the runner, medians of repeats)${summary ? `: ${summary}` : '; no category changed by 0.05 MiB'}.`,
  },
  timeline: {
    service: (scenario: string, workers: number, recycles: number, requests: number, failed: number, pss: string, rss: string, worker: string) => `\`${scenario}\` is a service: ${workers} worker process${workers === 1 ? '' : 'es'} seen, ${recycles} recycle${recycles === 1 ? '' : 's'}; ${requests} requests, ${failed} not answered 2xx (errors and timeouts included). Tree peak PSS ${pss} (summed RSS ${rss}: shared pages counted once per process); largest worker ${worker}.`,
    growth: (growth: string) => `A worker grows ~${growth} per 100 requests while it serves.`,
    intro: 'RSS sampled by the parent from /proc (it survives a crash of the worker), with the V8 heap after each stage; dashed lines are stage boundaries. One typical repeat (the median peak) per scenario.',
    stages: (scenario: string) => `Stages of \`${scenario}\` (medians over repeats):`,
    failed: (scenario: string, index: number, state: string, message: string) => `\`${scenario}\` repeat #${index} ${state}: ${message}`,
  },
  leaks: {
    intro: 'Objects allocated during a target cycle and still alive at the final snapshot (leak check), and classes that grew between snapshots when a memory budget failed. Each with its most common retainer path from a GC root.',
    check: (scenario: string, count: string, size: string) => `Leak check of \`${scenario}\`: ${count} suspect objects, ${size}.`,
    none: 'This run has no snapshot pass, so there are no leak suspects. Run `memgate run leak-check` (or any scenario with `--snapshots stages`) to list them with retainer paths.',
    clean: 'The leak check found no suspect objects.',
    source: { 'leak-check': 'leak check', growth: 'growth' },
  },
  native: {
    intro: 'Allocations through malloc and operator new, traced by heaptrack in an extra pass of the worker (`memgate run --native heaptrack`), which is outside every RSS figure. Each is attributed to the shared object that asked for it and to the nearest frame a Node user can name (an N-API binding, a V8 builtin).',
    none: 'This run has no heaptrack pass. Run `memgate run SCENARIO --native heaptrack` to see which shared objects and native functions hold the memory.',
    totals: (scenario: string, peak: string, leaked: string, allocations: string, version: string, file: string) => `\`${scenario}\`: ${peak} at heaptrack's peak, ${leaked} still allocated at the end, ${allocations} allocations (heaptrack ${version}, \`${file}\`).`,
    bySharedObject: 'By shared object:',
    byFrame: 'By nearest named frame:',
    sites: (by: 'leaked' | 'peak'): string => (by === 'leaked' ? 'Sites still holding the most at the end:' : 'Largest sites at the peak (none still held memory at the end):'),
    sharedObject: 'Shared object',
    frame: 'Frame',
    leaked: 'Still allocated',
    peak: 'At peak',
    allocations: 'Allocations',
    sitesCol: 'Sites',
  },
  indicator: {
    'budgets-hold': (i: Ind<'budgets-hold'>) => (i.ok === null ? 'No budget was checked.' : `Budgets hold: ${i.passed} passed, ${i.failed} failed, ${i.inconclusive} inconclusive.`),
    'all-completed': (i: Ind<'all-completed'>) => `Every measuring repeat completed: ${i.completed} of ${i.measured}.`,
    stable: (i: Ind<'stable'>, f: Formatter) => (i.drift === null ? 'Stability: no cycles were measured.' : `Stable across cycles: drift ${f.percent(i.drift, 2)}.`),
    'no-swap': (i: Ind<'no-swap'>, f: Formatter) => (i.swapBytes === null ? 'Swap: not measured on this platform.' : `No swap: at most ${f.bytes(i.swapBytes)} swapped out.`),
    'precision-holds': (i: Ind<'precision-holds'>) => (i.ok === null ? 'Precision: no accuracy budget was checked.' : `Precision budgets hold (${i.failed} failed).`),
    'peak-reduced': (i: Ind<'peak-reduced'>, f: Formatter) => `Peak RSS not higher than before: ${f.percent(i.ratio, 1, true)}.`,
    'throughput-kept': (i: Ind<'throughput-kept'>, f: Formatter) => `Throughput kept within 10%: ${f.percent(i.ratio, 1, true)}.`,
    'confidence-kept': (i: Ind<'confidence-kept'>, f: Formatter) => `Confidence kept within 0.01: ${i.delta === null ? '—' : `${i.delta >= 0 ? '+' : '-'}${f.score(Math.abs(i.delta))}`}.`,
  },
  recommendation: {
    'budget-failed': (r: Rec<'budget-failed'>, s: Say) =>
      `\`${r.scenario}\`: ${s.metric(r.metric)} is ${s.value(r.unit, r.value)} against a budget of ${s.value(r.unit, r.limit)}.${r.stage ? ` Stage \`${r.stage}\` adds the most (${s.f.bytes(r.stageBytes)}): start there.` : ''}${r.alsoIn.length ? ` Also over budget in ${r.alsoIn.map((n) => `\`${n}\``).join(', ')}.` : ''}`,
    crash: (r: Rec<'crash'>) => `\`${r.scenario}\` did not complete (${r.kind ?? 'failed'}${r.stage ? ` in stage \`${r.stage}\`` : ''}): ${r.message}. Its figures are partial; fix the crash before reading them.`,
    'stage-regression': (r: Rec<'stage-regression'>, s: Say) =>
      `Peak RSS of \`${r.scenario}\` / \`${r.stage}\` grew ${s.f.percent(r.ratio, 1, true)} (${s.f.bytes(r.before)} → ${s.f.bytes(r.after)}). Diff heap snapshots of that stage with \`memgate run ${r.scenario} --snapshots stages\` and \`memgate diff\`.`,
    'setting-effect': (r: Rec<'setting-effect'>, s: Say) => {
      const list = r.changes.map((c) => `\`${c.key}\` ${s.setting(c.key, c.before)} → ${s.setting(c.key, c.after)}`).join(', ')
      const peak = r.peakDeltaBytes === null ? 'an unknown change of peak RSS' : `${r.peakDeltaBytes <= 0 ? (r.sole ? 'saves' : 'save') : r.sole ? 'costs' : 'cost'} ${s.f.bytes(Math.abs(r.peakDeltaBytes))} of peak RSS (${s.f.percent(r.peakRatio, 1, true)})`
      const tp = r.throughputRatio === null ? '' : ` for ${s.f.percent(r.throughputRatio, 1, true)} throughput`
      return r.sole ? `${list} ${peak}${tp}.` : `Together, ${list} ${peak}${tp}. Compare runs that differ in one setting to attribute it.`
    },
    'arena-retained': (r: Rec<'arena-retained'>, s: Say) =>
      `\`${r.scenario}\`: ${s.f.bytes(r.retainedBytes)} of its ${s.f.bytes(r.peakBytes)} peak is not given back after GC. With the ONNX Runtime CPU arena on, that is the arena's high-water mark: measure \`enableCpuMemArena: false\` with \`memgate compare\`.`,
    drift: (r: Rec<'drift'>, s: Say) =>
      `\`${r.scenario}\` drifts ${s.f.percent(r.drift, 2)} across cycles.${r.suspect ? ` Look at class \`${r.suspect}\`${r.retainer ? `, held by \`${r.retainer}\`` : ''}.` : ' Run `memgate run leak-check` to see which objects stay alive.'}`,
    'precision-degraded': (r: Rec<'precision-degraded'>, s: Say) =>
      `Degraded pages read much worse than clean ones (CER ${s.f.percent(r.cerDegraded, 2)} vs ${s.f.percent(r.cerClean, 2)}): look at preprocessing (deskew, denoise) before trading accuracy for memory.`,
    swap: (r: Rec<'swap'>, s: Say) => `\`${r.scenario}\` swapped ${s.f.bytes(r.swapBytes)}: its RSS understates its memory and its latency suffers. Lower the peak or give the service more memory.`,
    threads: (r: Rec<'threads'>) =>
      `ONNX Runtime intra-op threads are ${r.intraOpThreads === 0 ? 'left to ONNX Runtime (one per core)' : r.intraOpThreads} on ${r.cpuCount} cores. Set \`intraOpNumThreads\` to ${Math.max(1, Math.min(2, r.cpuCount))}: each thread has its own stack and scratch memory.`,
    'sharp-cache': (r: Rec<'sharp-cache'>, s: Say) => `sharp's operation cache may hold up to ${s.f.bytes(r.cacheBytes)} between requests; OCR rarely reads one image twice. Turn it off with \`sharpCache: false\`.`,
    'malloc-arena': (r: Rec<'malloc-arena'>) => `${r.libc} without \`MALLOC_ARENA_MAX\`: each thread may get its own malloc arena, which keeps freed memory. Measure \`--env MALLOC_ARENA_MAX=2\`.`,
    'worker-growth': (r: Rec<'worker-growth'>, s: Say) =>
      `Workers of \`${r.scenario}\` grow ~${s.f.bytes(r.growthBytesPer100)} per 100 requests${r.requestsToBudget !== null && r.budgetBytes !== null ? ` and reach the ${s.f.bytes(r.budgetBytes)} budget after ~${s.f.num(r.requestsToBudget, 0)} requests: set \`--max-requests\` ≈ ${s.f.num(r.maxRequests ?? 1, 0)} (80% of that) with some jitter` : ': set a `workerPeakRss` budget to know when to recycle them'}.${r.recycles > 0 ? ` ${r.recycles} recycle${r.recycles === 1 ? '' : 's'} in this run.` : ''}`,
    noise: (r: Rec<'noise'>, s: Say) =>
      `\`${r.scenario}\` rests on ${r.repeats} repeat${r.repeats === 1 ? '' : 's'}${r.cv !== null ? ` with peak RSS varying ${s.f.percent(r.cv, 1)}` : ''}. Use \`--repeat 5\` before trusting small changes.`,
  },
  recommendationsNone: 'No rule fired: nothing in these figures calls for a change.',
  conclusion: {
    pass: (rating: string, peak: string, n: number) => `Every budget holds. Efficiency rating **${rating}**, peak RSS ${peak} over ${n} scenario${n === 1 ? '' : 's'}.`,
    fail: (rating: string, failed: number, peak: string) => `${failed} budget${failed === 1 ? '' : 's'} failed: rating **${rating}**, peak RSS ${peak}. The recommendations above say where to start.`,
    inconclusive: (rating: string, held: number, n: number, inconclusive: number, peak: string, scenarios: number) =>
      `No budget failed: ${held} of ${n} hold and ${inconclusive} ${inconclusive === 1 ? 'is' : 'are'} inconclusive. Efficiency rating **${rating}**, peak RSS ${peak} over ${scenarios} scenario${scenarios === 1 ? '' : 's'}.`,
    unjudged: (peak: string, n: number) => `Peak RSS ${peak} over ${n} scenario${n === 1 ? '' : 's'}; no budget was checked.`,
    change: (label: string, before: string, after: string, change: string) => `From before to after, ${label} went ${before} → ${after} (${change}).`,
    next: (text: string) => `Next: ${text}`,
  },
  method: {
    repeats: (n: number, interval: string) => `${n} measuring repeat${n === 1 ? '' : 's'} per scenario, each a fresh Node process sampled every ${interval} from its /proc by the parent.`,
    passes: 'RSS figures come from measuring repeats only; heap snapshots, which raise RSS and keep it up, are taken in a separate pass.',
    noise: 'Noise: ± is the median absolute deviation over repeats; CV is the coefficient of variation. Fewer than three repeats cannot support a relative verdict.',
    peak: 'Peak RSS is VmHWM, reset per stage where the kernel allows it, else the highest sampled RSS.',
  },
  chart: {
    treePss: 'tree PSS (summed)',
    primary: (pid: number) => `primary ${pid}`,
    worker: (pid: number) => `worker ${pid}`,
    recycle: 'recycle',
    service: (scenario: string) => `Service processes over time: ${scenario}`,
    serviceAlt: (scenario: string, workers: number, recycles: number, pss: string, rss: string) => `Line chart of each process's RSS over time for ${scenario}, with the tree's summed PSS: ${workers} worker${workers === 1 ? '' : 's'}, ${recycles} recycle${recycles === 1 ? '' : 's'}, peak PSS ${pss} (summed RSS ${rss}).`,
    time: 'time (s)',
    mib: 'MiB',
    rss: 'RSS',
    heapUsed: 'V8 heap used',
    before: 'before',
    after: 'after',
    changePct: 'change vs before (%)',
    timeline: (scenario: string) => `RSS and V8 heap over time: ${scenario}`,
    timelineAlt: (scenario: string, peak: string, steady: string, stages: string) => `Line chart of RSS over time for ${scenario}: peak ${peak}, ${steady} after the work; stages ${stages}.`,
    timelineCompareAlt: (scenario: string, before: string, after: string) => `Line chart of RSS over time for ${scenario}, before and after: peak ${before} before, ${after} after.`,
    distribution: 'Memory distribution at start',
    distributionAlt: (layers: string) => `Stacked bar of memory layers: ${layers}.`,
    heapSpaces: 'V8 heap spaces at the largest heap',
    heapSpacesAlt: (items: string) => `Stacked bars of V8 heap spaces per scenario: ${items}.`,
    stages: 'Peak RSS per stage, before and after',
    stagesAlt: (items: string) => `Grouped bars of peak RSS per stage, before and after: ${items}.`,
    ab: 'Headline figures: change from before to after',
    abAlt: (items: string) => `Bars of the change of each headline figure: ${items}.`,
  },
  value: { yes: 'yes', no: 'no', none: '—' },
}

/** What every locale implements: the shape of the English words. */
export type Messages = typeof en
