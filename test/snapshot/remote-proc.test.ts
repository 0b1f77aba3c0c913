/** /proc helpers of remote capture that need no target: where SIGUSR1 opens the inspector. */
import { describe, expect, it } from 'vitest'
import { inspectorAddressFrom } from '../../src/snapshot/remote/proc.js'

describe('inspectorAddressFrom', () => {
  it('defaults to 127.0.0.1:9229', () => {
    expect(inspectorAddressFrom(['node', 'app.js'])).toEqual({ host: '127.0.0.1', port: 9229 })
  })

  it('reads --inspect-port, --debug-port and --inspect[-brk|-wait]=[host:]port', () => {
    expect(inspectorAddressFrom(['node', '--inspect-port=0', 'app.js'])).toEqual({ host: '127.0.0.1', port: 0 })
    expect(inspectorAddressFrom(['node', '--inspect-port', '9333', 'app.js'])).toEqual({ host: '127.0.0.1', port: 9333 })
    expect(inspectorAddressFrom(['node', '--debug-port=9444', 'app.js'])).toEqual({ host: '127.0.0.1', port: 9444 })
    expect(inspectorAddressFrom(['node', '--inspect=0.0.0.0:9555', 'app.js'])).toEqual({ host: '0.0.0.0', port: 9555 })
    expect(inspectorAddressFrom(['node', '--inspect-brk=9666', 'app.js'])).toEqual({ host: '127.0.0.1', port: 9666 })
    expect(inspectorAddressFrom(['node', '--inspect-wait=[::1]:9777', 'app.js'])).toEqual({ host: '::1', port: 9777 })
  })

  it('stops at the script: its own arguments are not Node options; values of -r/--import are skipped', () => {
    expect(inspectorAddressFrom(['node', '-r', 'dotenv/config', '--import', 'tsx', 'server.js', '--inspect-port=1'])).toEqual({ host: '127.0.0.1', port: 9229 })
  })

  it('NODE_OPTIONS applies first and the command line wins', () => {
    expect(inspectorAddressFrom(['node', 'app.js'], '--max-old-space-size=4096 --inspect-port=9888')).toEqual({ host: '127.0.0.1', port: 9888 })
    expect(inspectorAddressFrom(['node', '--inspect-port=9999', 'app.js'], '--inspect-port=9888')).toEqual({ host: '127.0.0.1', port: 9999 })
  })
})
