import { it, expect } from 'vitest';
import { launchExtension } from '../helpers/osqueryd';

it('big backlog generate', async () => {
  const t0 = Date.now();
  const s = await launchExtension(['--source', 'audit_log', '--max-events', '50000']);
  const reg = await s.registered();
  console.log('registered ms', reg.ms, 'wall', Date.now() - t0);
  for (let i = 0; i < 4; i++) {
    const t = Date.now();
    const rows = await s.generate('process_terminations');
    console.log('rows', rows.length, 'ms', Date.now() - t);
    await new Promise((r) => setTimeout(r, 1500));
  }
  const st = await s.generate('process_terminations_status');
  console.log(JSON.stringify(st));
  await s.stop();
  expect(1).toBe(1);
}, 120000);
