import { it } from 'vitest'
import { postRaw, startServe, stopAll } from '/work/main/test/service/helpers/serve.js'
it('dbg', async () => {
  const t0 = Date.now()
  const svc = await startServe(['--workers', '2', '--max-requests', '6', '--max-requests-jitter', '3', '--concurrency', '8'], { fake: true, env: { FAKE_ENGINE_LOAD_MS: '300' } })
  console.log('listening after', Date.now() - t0)
  await svc.waitHealthy()
  console.log('healthy after', Date.now() - t0)
  const statuses: any[] = []
  for (let i = 0; i < 30; i++) { const r = await postRaw(svc.url, 'sleep:25'); statuses.push(r.status === 200 ? 200 : [r.status, r.error]) }
  console.log(JSON.stringify(statuses))
  console.log(svc.stderr())
  await svc.stop()
}, 60000)
