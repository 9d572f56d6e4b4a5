import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { register } from '../../src/cli/replay';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pt-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('process-terminations replay', () => {
  it('prints one JSON line per row with the fixed ingest time', async () => {
    const file = join(dir, 'kill.log');
    await writeFile(
      file,
      [
        'type=SYSCALL msg=audit(50.000:3): arch=c000003e syscall=62 success=yes a0=2a a1=f pid=1 comm="a"',
        'type=OBJ_PID msg=audit(50.000:3): opid=42 oauid=-1 ouid=0 oses=-1 ocomm="b"',
        'type=PROCTITLE msg=audit(50.000:3): proctitle=61',
        '',
      ].join('\n'),
    );
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((
      text: string,
      done?: (err?: Error) => void,
    ) => {
      out.push(text);
      done?.();
      return true;
    }) as typeof process.stdout.write);
    try {
      const program = new Command().exitOverride();
      register(program);
      await program.parseAsync(['node', 'x', 'replay', '--ingest-time', '77', file]);
    } finally {
      spy.mockRestore();
    }
    const lines = out.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    // 0x2a = 42, 0xf = 15
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      time: 50,
      ingest_time: 77,
      eid: 'audit::50.000:3:0',
      kind: 'signal',
      pid: 42,
      name: 'b',
      signal: 15,
      signal_name: 'SIGTERM',
      actor_pid: 1,
      source: 'replay',
    });
  });
});
