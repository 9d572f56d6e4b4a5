import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Termination } from '../../src/model/termination';
import { EsloggerSource } from '../../src/sources/macos/eslogger-source';

// The live source against test/fixtures/macos/eslogger-standin.mjs, steered by env variables.
const FIXTURES = join(__dirname, '../fixtures/macos');
const STANDIN = join(FIXTURES, 'eslogger-standin.mjs');
const ENV = [
  'ESLOGGER_STANDIN_LINES',
  'ESLOGGER_STANDIN_EXIT',
  'ESLOGGER_STANDIN_FAIL',
  'ESLOGGER_STANDIN_ARGS',
];
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-es-'));
});
afterEach(() => {
  for (const name of ENV) Reflect.deleteProperty(process.env, name);
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('EsloggerSource', () => {
  it('runs `eslogger exit signal` and hands on its rows', async () => {
    process.env.ESLOGGER_STANDIN_LINES = join(FIXTURES, 'exit-v11-array-token.ndjson');
    process.env.ESLOGGER_STANDIN_ARGS = join(dir, 'args.json');
    const rows: Termination[] = [];
    const source = new EsloggerSource({ eslogger: STANDIN });
    await source.start((r) => rows.push(...r));
    await until(() => rows.length === 3);
    await source.stop();
    expect(JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8'))).toEqual(['exit', 'signal']);
    expect(rows.map((r) => [r.kind, r.pid])).toEqual([
      ['exit', 5555],
      ['crash', 5556],
      ['exit', 5557],
    ]);
    expect(source.status()).toMatchObject({ state: 'stopped', rows: 3, events_read: 3, lost: 2 });
  });

  it('restarts eslogger with backoff when it ends', async () => {
    process.env.ESLOGGER_STANDIN_LINES = join(FIXTURES, 'signal-v9.ndjson');
    process.env.ESLOGGER_STANDIN_EXIT = '1';
    const rows: Termination[] = [];
    const source = new EsloggerSource({ eslogger: STANDIN, restartMinMs: 20, restartMaxMs: 40 });
    await source.start((r) => rows.push(...r));
    await until(() => rows.length >= 4);
    await source.stop();
    // Each run prints the same two messages; a new client's numbering is not counted as loss.
    expect(rows.slice(0, 4).map((r) => r.actor_pid)).toEqual([777, 888, 777, 888]);
    expect(source.status().lost).toBe(0);
  });

  it.each([
    ['not_privileged', /must run as root/],
    ['not_permitted', /Full Disk Access/],
  ])('rejects with the fix when eslogger reports %s', async (fail, message) => {
    process.env.ESLOGGER_STANDIN_FAIL = fail;
    const source = new EsloggerSource({ eslogger: STANDIN, startupGraceMs: 5000 });
    await expect(source.start(() => undefined)).rejects.toThrow(message);
    expect(source.status().state).toBe('failed');
  });

  it('rejects with a hint when eslogger is not there', async () => {
    const source = new EsloggerSource({ eslogger: join(dir, 'eslogger') });
    await expect(source.start(() => undefined)).rejects.toThrow(/not found .*macOS 13/);
  });
});
