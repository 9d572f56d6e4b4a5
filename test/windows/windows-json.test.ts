import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WindowsJsonDecoder, WindowsXmlDecoder } from '../../src/sources/windows/decoders';

// Expected values are worked out by hand from the corpus lines (hex converted, times with
// `date -u -d <time> +%s`); the lines are picked by content, never copied into the repo.
const CORPUS = join(__dirname, '../../../shared/corpus/windows');
const JSONL = join(CORPUS, 'nxlog-json');
const clock = { now: () => 1_800_000_000_000 };
const absent = !existsSync(JSONL);

function lineWith(file: string, ...needles: string[]): string {
  const lines = readFileSync(join(JSONL, file), 'utf8').split('\n');
  const line = lines.find((l) => needles.every((n) => l.includes(n)));
  if (!line) throw new Error(`no line of ${file} holds ${needles.join(', ')}`);
  return line;
}

function rowOf(line: string) {
  const decoder = new WindowsJsonDecoder({ ingestClock: clock });
  const rows = [...decoder.push(`${line}\n`), ...decoder.end()];
  expect(decoder.stats.parseErrors).toBe(0);
  return rows[0];
}

describe.skipIf(absent)('NXLog JSON lines (corpus)', () => {
  it('4689 status 0x0 with a zone-less TimeCreated read as UTC', () => {
    const line = lineWith('4689.jsonl', 'Outflank-Dumpert.exe', '"Status": "0x0"', '10:56:14.648');
    expect(rowOf(line)).toMatchObject({
      time: 1603018574,
      kind: 'exit',
      pid: 6772,
      name: 'Outflank-Dumpert.exe',
      exit_code: 0,
      actor_user: 'HOST08\\user03',
      source: 'windows_security',
      eid: expect.stringMatching(/^win:HOST08:Security:h[0-9a-f]{16}$/),
    });
  });

  it('4689 status 0x1', () => {
    const line = lineWith(
      '4689.jsonl',
      'backgroundTaskHost.exe',
      '"Status": "0x1"',
      '12:28:40.538',
    );
    expect(rowOf(line)).toMatchObject({ pid: 9092, exit_code: 1 });
  });

  it('4689 NTSTATUS 0xc000013a kept unsigned, zoned TimeCreated', () => {
    const line = lineWith('4689.jsonl', '"Status": "0xc000013a"');
    expect(rowOf(line)).toMatchObject({
      time: 1608364210,
      pid: 8672,
      name: 'powershell.exe',
      exit_code: 3221225786,
      actor_user: 'THESHIRE\\user04',
    });
  });

  it('4689 whose ProcessId was lost in flattening takes it from Message, local time shifted', () => {
    // "ProcessID": 4 is the System execution pid; the exiting one is only in Message (0x454).
    // EventTime 23:52:48 local; EventReceivedTime 23:52:50 vs @timestamp 04:52:50Z: UTC-5.
    const line = lineWith('4689.jsonl', '"ProcessID": 4', 'wermgr.exe');
    expect(rowOf(line)).toMatchObject({
      time: 1577249568,
      pid: 1108,
      eid: 'win:HOST12.shire.com:Security:29088',
      actor_user: 'shire\\HOST12$',
    });
  });

  it('Sysmon 5 with User', () => {
    const line = lineWith(
      'sysmon5.jsonl',
      '"User": "NT AUTHORITY\\\\SYSTEM"',
      'WerFault.exe',
      '1904',
    );
    expect(rowOf(line)).toMatchObject({
      pid: 1904,
      user: 'NT AUTHORITY\\SYSTEM',
      process_guid: '{fe86be69-80be-64b8-db04-000000001000}',
      source: 'sysmon',
    });
  });

  it('Sysmon 5 without User ignores the Sysmon service account fields', () => {
    const line = lineWith('sysmon5.jsonl', '"RecordNumber": 3219339');
    expect(rowOf(line)).toMatchObject({
      time: 1600729109,
      pid: null,
      user: null,
      name: 'TiWorker.exe',
      eid: 'win:HOST08.theshire.local:Microsoft-Windows-Sysmon/Operational:3219339',
    });
  });

  it('7036: stopped gives a row (param2, no Binary), running none', () => {
    const stopped = lineWith('7036.jsonl', 'edgeupdate', '"param2": "stopped"');
    expect(rowOf(stopped)).toMatchObject({
      kind: 'service_stop',
      time: 1689744890,
      service: 'Microsoft Edge Update Service (edgeupdate)',
    });
    expect(rowOf(lineWith('7036.jsonl', '"param2": "running"'))).toBeUndefined();
  });
});

describe('Winlogbeat JSON', () => {
  it('reads winlog.event_data', () => {
    const line = JSON.stringify({
      '@timestamp': '2024-03-05T10:15:30.123Z',
      message: 'A process has exited.',
      winlog: {
        channel: 'Security',
        event_id: '4689',
        computer_name: 'WS01',
        record_id: 77,
        provider_name: 'Microsoft-Windows-Security-Auditing',
        event_data: {
          ProcessId: '0x10',
          Status: '0x0',
          ProcessName: 'C:\\a.exe',
          SubjectUserSid: 'S-1-5-18',
        },
      },
    });
    expect(rowOf(line)).toMatchObject({
      time: 1709633730,
      pid: 16,
      exit_code: 0,
      actor_user: 'S-1-5-18',
      eid: 'win:WS01:Security:77',
    });
  });
});

describe.skipIf(!existsSync(CORPUS))('every corpus file replays without an exception', () => {
  const files = ['evtx-xml', 'nxlog-json'].flatMap((dir) =>
    (existsSync(join(CORPUS, dir)) ? readdirSync(join(CORPUS, dir)) : [])
      .filter((f) => !f.endsWith('.txt'))
      .map((f) => join(CORPUS, dir, f)),
  );
  it.each(files)('%s', (file) => {
    const decoder = file.endsWith('.xml')
      ? new WindowsXmlDecoder({ ingestClock: clock })
      : new WindowsJsonDecoder({ ingestClock: clock });
    const text = readFileSync(file, 'utf8');
    const rows = [...decoder.push(text), ...decoder.end()];
    expect(decoder.stats.parseErrors).toBe(0);
    expect(decoder.stats.events).toBeGreaterThan(0);
    for (const row of rows) expect(Number.isInteger(row.time)).toBe(true);
    if (file.endsWith('.jsonl')) {
      // The datasets overlap: a line present twice is one event and must keep one eid.
      const distinct = new Set(text.split('\n').filter((l) => l.trim() !== ''));
      expect(new Set(rows.map((r) => r.eid)).size).toBe(
        distinct.size - (decoder.stats.events - rows.length),
      );
    }
  });
});
