/**
 * DESIGN.md's import rules, checked in `npm test` (`npm run lint:imports`). Each rule names the
 * direction it protects; a violation prints the importing and imported files.
 *
 * dependency-cruiser parses this project's TypeScript through swc, which does not tell type-only
 * imports apart, so the rules that allow an import "as a type only" are checked a second time on
 * the compiled JavaScript, where type imports are gone (.dependency-cruiser-runtime.cjs).
 */

module.exports = {
  forbidden: [
    { name: 'nothing-imports-cli', severity: 'error', comment: 'cli sits on top: parse, call the library, print, exit code.', from: { pathNot: '^(src/cli/|test/)' }, to: { path: '^src/cli/' } },
    { name: 'commands-do-not-import-commands', severity: 'error', comment: 'shared flags and printing live in src/cli/*.ts, not in another command.', from: { path: '^src/cli/commands/', pathNot: '^src/cli/commands/index\\.ts$' }, to: { path: '^src/cli/commands/' } },
    { name: 'common-imports-nothing', severity: 'error', from: { path: '^src/common/' }, to: { path: '^src/', pathNot: '^src/common/' } },
    { name: 'leaves-import-only-common', severity: 'error', comment: 'engine, probe, snapshot and native never import one another.', from: { path: '^src/(engine|probe|snapshot|native)/' }, to: { path: '^src/', pathNot: ['^src/$1/', '^src/common/'] } },
    { name: 'heapdump-is-tiny', severity: 'error', comment: 'preloaded into users\u2019 apps: node builtins and common only.', from: { path: '^src/heapdump/' }, to: { path: '^src/', pathNot: ['^src/heapdump/', '^src/common/'] } },
    { name: 'run-imports-only-common', severity: 'error', from: { path: '^src/run/' }, to: { path: '^src/', pathNot: ['^src/run/', '^src/common/'] } },
    { name: 'config-imports-only-common-and-run-types', severity: 'error', from: { path: '^src/config/' }, to: { path: '^src/', pathNot: ['^src/config/', '^src/common/', '^src/run/'] } },
    { name: 'baseline-and-report-work-from-json', severity: 'error', comment: 'no runner, no native code: they import common, run, config (types) and each other (report: baseline types).', from: { path: '^src/(baseline|report)/' }, to: { path: '^src/', pathNot: ['^src/(baseline|report|common|run|config)/'] } },
    { name: 'scenario-is-generic', severity: 'error', comment: 'the runner never imports the engine or anything above it.', from: { path: '^src/scenario/' }, to: { path: '^src/(engine|native|check|baseline|report|service|vitest|cli)/' } },
    { name: 'check-stays-below-its-callers', severity: 'error', from: { path: '^src/check/' }, to: { path: '^src/(cli|service|vitest|report)/' } },
    { name: 'service-uses-the-engine-api', severity: 'error', from: { path: '^src/service/' }, to: { path: '^src/(engine/(?!index\\.ts$)|cli/|check/|scenario/)' } },
    { name: 'scenarios-and-bench-use-the-public-api', severity: 'error', comment: 'widen src/index.ts (or the scenario authoring entry) rather than reaching inside.', from: { path: '^(scenarios|bench)/' }, to: { path: '^src/', pathNot: '^src/(index|engine/index|scenario/index)\\.ts$' } },
      ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.cache)/' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
  },
}
