/** Scenario parameter assignments (`--param k=v`, config `run.params`), parsed at the boundary. */
import { UsageError } from '../common/errors.js'

/** A parameter value as given: strings from the command line are typed later by the scenario. */
export type ParamInput = number | string | boolean

/** One parameter assignment. `scenario` limits it to one scenario (`load.pages=2`). */
export interface ParamAssignment {
  scenario: string | null
  key: string
  value: ParamInput
  /**
   * From the config's `run.params`, which describe a suite: an assignment scoped to a scenario that
   * is not selected is then ignored (a `--param` naming one is a mistake).
   */
  fromConfig?: boolean
}

/** Splits `scenario.key` (or a bare `key`) into its parts. */
export function splitParamName(name: string, value: ParamInput): ParamAssignment {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? { scenario: name.slice(0, dot), key: name.slice(dot + 1), value } : { scenario: null, key: name, value }
}

/**
 * Parses `k=v` or `scenario.k=v` from the command line. Values stay strings until the scenario's
 * declarations say their type.
 * @throws UsageError when there is no `=` or no name
 * @example parseParamAssignment('load.pages=2') // { scenario: 'load', key: 'pages', value: '2' }
 */
export function parseParamAssignment(text: string): ParamAssignment {
  const eq = text.indexOf('=')
  if (eq <= 0 || text.slice(0, eq).trim() === '') {
    throw new UsageError(`--param ${JSON.stringify(text)} is not k=v; write e.g. --param pages=2 or --param load.pages=2.`)
  }
  return splitParamName(text.slice(0, eq).trim(), text.slice(eq + 1))
}
