import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WindowsXmlDecoder } from '../../src/sources/windows/decoders';
import { serviceStateOf } from '../../src/sources/windows/terminations';

// Expected values below are worked out by hand from the fixture text: hex pids and statuses
// converted, times converted with `date -u -d <time> +%s`.
const FIXTURES = join(__dirname, '../fixtures/windows');
const CORPUS = join(__dirname, '../../../shared/corpus/windows/evtx-xml');
const clock = { now: () => 1_800_000_000_500 };

function rowsOf(text: string) {
  const decoder = new WindowsXmlDecoder({ ingestClock: clock });
  const rows = [...decoder.push(text), ...decoder.end()];
  return { rows, stats: decoder.stats };
}

describe('Security 4689 (wevtutil XML fixture)', () => {
  const { rows, stats } = rowsOf(
    readFileSync(join(FIXTURES, 'security-4689-wevtutil.xml'), 'utf8'),
  );

  it('gives one exit row per event', () => {
    expect(stats).toEqual({ events: 3, rows: 3, parseErrors: 0, lost: 0 });
  });

  it('reads status 0x0, hex pid and DOMAIN\\user', () => {
    expect(rows[0]).toMatchObject({
      time: 1709633730,
      ingest_time: 1800000000,
      eid: 'win:WS01.corp.example:Security:1001',
      kind: 'exit',
      pid: 6772,
      path: 'C:\\Windows\\System32\\notepad.exe',
      name: 'notepad.exe',
      exit_code: 0,
      signal: null,
      actor_pid: 6772,
      actor_user: 'CORP\\alice',
      user: 'CORP\\alice',
      process_guid: null,
      source: 'windows_security',
    });
  });

  it('reads status 0x1', () => {
    expect(rows[1]).toMatchObject({ pid: 824, exit_code: 1, actor_user: 'CORP\\WS01$' });
  });

  it('keeps an NTSTATUS exit code exact and unsigned, and falls back to the SID', () => {
    expect(rows[2]).toMatchObject({
      pid: 8964,
      exit_code: 3221225786,
      path: 'C:\\Program Files\\Tool & Co\\tool.exe',
      name: 'tool.exe',
      actor_user: 'S-1-5-21-1004336348-1177238915-682003330-1002',
    });
  });
});

describe('System 7036', () => {
  it('gives a row for stopped and none for running (Binary as hex)', () => {
    const { rows, stats } = rowsOf(
      readFileSync(join(FIXTURES, 'system-7036-wevtutil.xml'), 'utf8'),
    );
    expect(stats.events).toBe(2);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'service_stop',
      service: 'Druckwarteschlange',
      time: 1709636400,
      eid: 'win:WS01.corp.example:System:5001',
      pid: null,
      source: 'windows_system',
    });
  });

  it.each([
    ['530070006F006F006C00650072002F0031000000', { key: 'Spooler', state: 1 }],
    ['VwBlAHIAUwB2AGMALwA0AAAA', { key: 'WerSvc', state: 4 }],
    ['dwBpAHMAdgBjAC8AMQAAAA==', { key: 'wisvc', state: 1 }],
    ['not binary', null],
  ])('decodes Binary %s', (binary, expected) => {
    expect(serviceStateOf(binary)).toEqual(expected);
  });

  it.skipIf(!existsSync(CORPUS))('reads python-evtx 7036: one stopped of six (corpus)', () => {
    const file = join(CORPUS, 'Defense_Evasion_DE_WinEventLogSvc_Crash_System_7036.xml');
    const { rows, stats } = rowsOf(readFileSync(file, 'utf8'));
    expect(stats.events).toBe(6);
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'service_stop',
        service: 'Windows Insider Service',
        time: 1600880325,
        eid: 'win:01566s-win16-ir.threebeesco.com:System:65380',
      }),
    ]);
  });
});

describe('Sysmon 5', () => {
  it('reads User when the schema has it', () => {
    const { rows } = rowsOf(readFileSync(join(FIXTURES, 'sysmon-5-user-wevtutil.xml'), 'utf8'));
    expect(rows[0]).toMatchObject({
      time: 1709640000,
      eid: 'win:WS01.corp.example:Microsoft-Windows-Sysmon/Operational:7001',
      pid: 4242,
      name: 'whoami.exe',
      user: 'CORP\\alice',
      actor_user: 'CORP\\alice',
      process_guid: '{b34bc01c-3031-5f69-6a01-000000000900}',
      exit_code: null,
      source: 'sysmon',
    });
  });

  it.skipIf(!existsSync(CORPUS))(
    'leaves user NULL in the older schema (python-evtx corpus)',
    () => {
      const file = join(
        CORPUS,
        'AutomatedTestingTools_Malware_DE_timestomp_and_dll_sideloading_and_RunPersist.xml',
      );
      const { rows } = rowsOf(readFileSync(file, 'utf8'));
      expect(rows).toEqual([
        expect.objectContaining({
          time: 1556380674,
          eid: 'win:IEWIN7:Microsoft-Windows-Sysmon/Operational:6623',
          pid: 2680,
          path: 'C:\\Users\\IEUser\\Downloads\\Flash_update.exe',
          name: 'Flash_update.exe',
          user: null,
          process_guid: '{365abb72-7c01-5cc4-0000-00102b3e0c00}',
          exit_code: null,
        }),
      ]);
    },
  );
});

describe('XML reading', () => {
  it('reads events cut at any point between pushes', () => {
    const text = readFileSync(join(FIXTURES, 'security-4689-wevtutil.xml'), 'utf8');
    const decoder = new WindowsXmlDecoder({ ingestClock: clock });
    const rows = [];
    for (let i = 0; i < text.length; i += 7) rows.push(...decoder.push(text.slice(i, i + 7)));
    expect(rows.map((r) => r.pid)).toEqual([6772, 824, 8964]);
  });

  it('reads a Get-WinEvent ToXml() event with a namespace prefix and unnamed data', () => {
    const xml =
      "<e:Event xmlns:e='http://schemas.microsoft.com/win/2004/08/events/event'><e:System>" +
      "<e:Provider Name='Microsoft-Windows-Security-Auditing'/><e:EventID>4689</e:EventID>" +
      "<e:TimeCreated SystemTime='2024-03-05T10:15:30+01:00'/><e:EventRecordID>9</e:EventRecordID>" +
      '<e:Channel>Security</e:Channel><e:Computer>H</e:Computer></e:System><e:EventData>' +
      "<e:Data Name='ProcessId'>0x10</e:Data><e:Data Name='Status'>0x2</e:Data></e:EventData></e:Event>";
    const { rows } = rowsOf(xml);
    expect(rows[0]).toMatchObject({
      time: 1709633730 - 3600,
      pid: 16,
      exit_code: 2,
      eid: 'win:H:Security:9',
    });
  });

  it('counts a truncated event and one without a time as parse errors', () => {
    const broken =
      '<Event><System><EventID>4689</EventID><Channel>Security</Channel></System></Event><Event><System>';
    const { rows, stats } = rowsOf(broken);
    expect(rows).toEqual([]);
    expect(stats.parseErrors).toBe(2);
  });
});
