/**
 * A Chromium for browser tests on any machine: the system's when one is installed, else the one
 * `@sparticuz/chromium` ships inside its npm package (unpacked to /tmp on first use), so
 * `npm ci && npm test` needs no apt step.
 */
import { existsSync } from 'node:fs'

const SYSTEM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/** The executable and the flags it needs. */
export async function findChromium(): Promise<{ executablePath: string; args: string[]; source: 'system' | 'npm' }> {
  const system = SYSTEM.find((p) => existsSync(p))
  if (system) return { executablePath: system, args: [], source: 'system' }
  const { default: chromium } = await import('@sparticuz/chromium')
  return { executablePath: await chromium.executablePath(), args: chromium.args, source: 'npm' }
}
