/**
 * memgate's own configuration: what `memgate check` gates this repository on. The budgets are
 * memgate's built-in defaults, spelled out so that changing one is a reviewed diff: the figures of
 * the report this project grew from (peak RSS < 500 MB, RSS fluctuation within a stage < 50 MB,
 * swap < 10 MB, drift across stability cycles < 2%, mean confidence > 0.85) and, against the
 * baselines committed under `baselines/` (`memgate baseline update`), peak RSS and retained RSS
 * at most +10%; no time budget (see DEFAULT_BUDGETS in src/config/budgets.ts for why).
 *
 * Why +10% here and not the built-in +5%: an OCR worker's peak and retained RSS move by about 4%
 * between two invocations of the same code, more than within one (ONNX Runtime's two threads
 * decide whether one more ~10 MiB block is live at the peak). Measured on a quiet machine minutes
 * apart: the baseline's 6 repeats of `load` peaked at 202–207 MiB, the next `memgate check`'s 3
 * at 203, 213 and 213 MiB; stability's retained RSS 172–175 vs 180 MiB. With +5% the gate failed
 * that clean check on both (+3.9%, +4.3%: "got worse, and +5% is within the interval"); +10% is
 * what 3–5 repeats can tell from that noise. bench:gate measures the built-in +5% on a fixture
 * whose figures do not move between invocations.
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
    regression: { peakRss: '+10%', retainedRss: '+10%' },
  },
})
