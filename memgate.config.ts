/**
 * memgate's own configuration: what `memgate check` gates this repository on. The budgets are
 * memgate's built-in defaults, spelled out so that changing one is a reviewed diff: the figures of
 * the report this project grew from (peak RSS < 500 MB, RSS fluctuation within a stage < 50 MB,
 * swap < 10 MB, drift across stability cycles < 2%, mean confidence > 0.85) and, against the
 * baselines committed under `baselines/` (`memgate baseline update`), peak RSS and retained RSS
 * at most +5%; no time budget (see DEFAULT_BUDGETS in src/config/budgets.ts for why).
 */
import { defineConfig } from './src/config/define-config.js'

export default defineConfig({
  // The workload `npm start`, `memgate check` and `memgate baseline update` measure, and the
  // committed baselines describe: the default suite, sized so three repeats of it take about a
  // minute and a half on a 2-core machine (the engine's own tests read the whole corpora).
  run: {
    params: { 'load.pages': 8, 'precision.limit': 12, 'stability.cycles': 8, 'stability.pagesPerCycle': 2 },
  },
  check: {
    scenarios: ['startup', 'load', 'stability', 'precision'],
    repeat: 3,
    extraRepeats: 2,
    onInconclusive: 'warn',
    explain: true,
    baselineDir: 'baselines',
  },
  budgets: {
    peakRss: '500 MB',
    fluctuation: '50 MB',
    swap: '10 MB',
    drift: '2%',
    confidence: 0.85,
    regression: { peakRss: '+5%', retainedRss: '+5%' },
  },
})
