import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Termination } from '../../src/model/termination';
import { WindowsEventLogSource } from '../../src/sources/windows/windows-source';

// The live source against test/fixtures/windows/wevtutil-standin.mjs, which serves the
// fixture events of a temp directory as wevtutil would.
const FIXTURES = join(__dirname, '../fixtures/windows');
const STANDIN = join(FIXTURES, 'wevtutil-standin.mjs');
const clock = { now: () => Date.parse('2024-03-05T12:00:00Z') };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-win-'));
  process.env.WEVTUTIL_STANDIN_DIR = dir;
});
afterEach(() => {
  delete process.env.WEVTUTIL_STANDIN_DIR;
  rmSync(dir, { recursive: true, force: true });
});

function source(channels?: string[]) {
  return new WindowsEventLogSource({
    wevtutil: STANDIN,
    stateDir: join(dir, 'state'),
    intervalMs: 50,
    clock,
    ...(channels ? { channels } : {}),
  });
}

async function run(channels?: string[]): Promise<Termination[]> {
  const rows: Termination[] = [];
  const s = source(channels);
  await s.start((r) => rows.push(...r));
  await s.stop();
  return rows;
}

function securityEvents(ids: number[]): string {
  const text = readFileSync(join(FIXTURES, 'security-4689-wevtutil.xml'), 'utf8');
  const template = /<Event [\s\S]*?<\/Event>/.exec(text)?.[0] ?? '';
  return ids
    .map((id) => template.replace('<EventRecordID>1001<', `<EventRecordID>${id}<`))
    .join('\n');
}

describe('WindowsEventLogSource', () => {
  it('reads every channel, keeps bookmarks, and a restart neither loses nor repeats', async () => {
    writeFileSync(join(dir, 'Security.xml'), securityEvents([1, 2, 3]));
    copyFileSync(join(FIXTURES, 'system-7036-wevtutil.xml'), join(dir, 'System.xml'));
    copyFileSync(
      join(FIXTURES, 'sysmon-5-user-wevtutil.xml'),
      join(dir, 'Microsoft-Windows-Sysmon_Operational.xml'),
    );

    const first = await run();
    expect(first.map((r) => r.eid)).toEqual([
      'win:WS01.corp.example:Security:1',
      'win:WS01.corp.example:Security:2',
      'win:WS01.corp.example:Security:3',
      'win:WS01.corp.example:System:5001',
      'win:WS01.corp.example:Microsoft-Windows-Sysmon/Operational:7001',
    ]);
    const saved = JSON.parse(readFileSync(join(dir, 'state', 'windows-bookmarks.json'), 'utf8'));
    expect(saved.channels).toEqual({
      Security: 3,
      System: 5002,
      'Microsoft-Windows-Sysmon/Operational': 7001,
    });

    writeFileSync(join(dir, 'Security.xml'), securityEvents([1, 2, 3, 4, 5]));
    const second = await run();
    expect(second.map((r) => r.eid)).toEqual([
      'win:WS01.corp.example:Security:4',
      'win:WS01.corp.example:Security:5',
    ]);
  });

  it('follows new events while running and reads a full batch at once', async () => {
    writeFileSync(join(dir, 'Security.xml'), securityEvents([1]));
    const rows: Termination[] = [];
    const s = new WindowsEventLogSource({
      wevtutil: STANDIN,
      channels: ['Security'],
      intervalMs: 50,
      batchSize: 2,
      clock,
    });
    await s.start((r) => rows.push(...r));
    writeFileSync(join(dir, 'Security.xml'), securityEvents([1, 2, 3, 4, 5, 6]));
    for (let i = 0; i < 100 && rows.length < 6; i++) await new Promise((r) => setTimeout(r, 20));
    await s.stop();
    expect(rows.map((r) => r.eid.split(':').pop())).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(s.status()).toMatchObject({
      state: 'stopped',
      rows: 6,
      events_read: 6,
      checkpoint: 'Security=6',
    });
  });

  it('passes the query as one argument, with no shell in between', async () => {
    writeFileSync(join(dir, 'Security.xml'), securityEvents([1]));
    await run(['Security']);
    const calls = readFileSync(join(dir, 'calls.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(calls[0]).toEqual(['gli', 'Security']);
    expect(calls[1]).toEqual([
      'qe',
      'Security',
      '/q:*[System[(EventID=4689) and TimeCreated[timediff(@SystemTime) <= 3600000]]]',
      '/f:xml',
      '/e:Events',
      '/rd:false',
      '/c:500',
      '/uni:true',
    ]);
  });

  it('skips a missing channel with the documented hint and reports degraded', async () => {
    writeFileSync(join(dir, 'Security.xml'), securityEvents([1]));
    const s = source(['Security', 'Microsoft-Windows-Sysmon/Operational']);
    await s.start(() => undefined);
    const status = s.status();
    await s.stop();
    expect(status.state).toBe('degraded');
    expect(status.last_error).toContain(
      'event log channel "Microsoft-Windows-Sysmon/Operational" does not exist',
    );
    expect(status.last_error).toContain('install Sysmon');
  });

  it('rejects when no channel can be read, saying what to fix', async () => {
    writeFileSync(join(dir, 'Security.denied'), '');
    await expect(run(['Security', 'System'])).rejects.toThrow(
      /no Windows event log channel can be read:[\s\S]*"Security" is not readable[\s\S]*auditpol \/set \/subcategory:"Process Termination"[\s\S]*"System" does not exist/,
    );
  });

  it('reads a cleared log from its start again', async () => {
    writeFileSync(join(dir, 'Security.xml'), securityEvents([7, 8]));
    expect((await run(['Security'])).length).toBe(2);
    writeFileSync(join(dir, 'Security.xml'), securityEvents([1]));
    expect((await run(['Security'])).map((r) => r.eid)).toEqual([
      'win:WS01.corp.example:Security:1',
    ]);
  });

  it('rejects with a hint when wevtutil is not there', async () => {
    const s = new WindowsEventLogSource({ wevtutil: join(dir, 'no-such-wevtutil'), clock });
    await expect(s.start(() => undefined)).rejects.toThrow(/wevtutil was not found/);
  });
});
