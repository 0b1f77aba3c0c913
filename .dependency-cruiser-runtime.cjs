/**
 * The runtime half of DESIGN.md's import rules, run on the compiled JavaScript (.cache/imports, built by npm run lint:imports), where
 * type-only imports are erased: what src/ may import "as types only" must not appear here.
 * Pure modules of src/run (figures, metric names, stage kinds, legacy readers) hold no zod and no
 * I/O, so baseline and report may import their values; the rest of src/run only as types.
 */
const RUN_PURE = '^\\.cache/imports/src/run/(figures|metrics|stage-kinds|legacy|composition)\\.js$'

module.exports = {
  forbidden: [
    { name: 'config-imports-run-types-only', severity: 'error', from: { path: '^\\.cache/imports/src/config/' }, to: { path: '^\\.cache/imports/src/run/' } },
    { name: 'baseline-and-report-import-run-types', severity: 'error', from: { path: '^\\.cache/imports/src/(baseline|report)/' }, to: { path: '^\\.cache/imports/src/run/', pathNot: RUN_PURE } },
    { name: 'baseline-and-report-import-config-types', severity: 'error', from: { path: '^\\.cache/imports/src/(baseline|report)/' }, to: { path: '^\\.cache/imports/src/config/' } },
    { name: 'report-imports-baseline-types', severity: 'error', from: { path: '^\\.cache/imports/src/report/' }, to: { path: '^\\.cache/imports/src/baseline/' } },
    { name: 'no-circular', severity: 'error', from: { path: '^\\.cache/imports/src/' }, to: { circular: true, viaOnly: { dependencyTypesNot: ['dynamic-import'] } } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^node_modules/|\\.d\\.ts$)' },
  },
}
