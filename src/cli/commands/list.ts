/** `memgate list`: the built-in scenarios (or the given modules) with descriptions and parameters. */
import type { Argv } from 'yargs'
import { println, type CommandContext } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { renderTable } from '../../report/render/table.js'

interface Args {
  scenario?: string[]
}

/** The `list` command. */
export function listCommand(ctx: CommandContext): CommandBody<Args> {
  return {
    builder: (y: Argv<object>) =>
      y.positional('scenario', { type: 'string', array: true, describe: 'scenario names or module paths to describe [default: every built-in]' }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { isModulePath, DEFAULT_SUITE } = await import('../../config/index.js')
      const { builtinScenarioNames, loadScenarios } = await import('../../scenario/harness.js')
      const { io } = ctx
      const { resolve } = await import('node:path')
      const given = args.scenario?.length ? args.scenario.map((s) => (isModulePath(s) ? resolve(io.cwd, s) : s)) : await builtinScenarioNames()
      const loaded = await loadScenarios(given)
      const rows = loaded.map(({ scenario }) => [scenario.name + (DEFAULT_SUITE.includes(scenario.name) ? ' *' : ''), scenario.description])
      println(io.stdout, renderTable([{ header: 'scenario' }, { header: 'description' }], rows))
      println(io.stdout)
      println(io.stdout, '* in the default suite (memgate run with no scenario)')
      for (const { scenario } of loaded) {
        const params = Object.entries(scenario.params ?? {})
        if (params.length === 0) continue
        println(io.stdout)
        println(io.stdout, `${scenario.name} parameters (--param ${scenario.name}.name=value):`)
        for (const [key, spec] of params) println(io.stdout, `  ${key}=${String(spec.default)}  ${spec.description}${spec.choices ? ` (${spec.choices.join(' | ')})` : ''}`)
      }
    },
  }
}
