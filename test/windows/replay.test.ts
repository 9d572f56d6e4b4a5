import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Termination } from '../../src/model/termination';
import { detectFormat } from '../../src/replay/formats';
import { readRows } from '../../src/replay/read-rows';

const CORPUS = join(__dirname, '../../../shared/corpus');
const FIXTURES = join(__dirname, '../fixtures');
const ingestClock = { now: () => 0 };

async function collect(files: string[], format = 'auto'): Promise<Termination[]> {
  const rows: Termination[] = [];
  for await (const row of readRows(files, { format, ingestClock })) rows.push(row);
  return rows;
}

describe('format detection by content', () => {
  it.each([
    ['<?xml version="1.0"?>\n<Events>', 'windows_xml'],
    ['\uFEFF<Event xmlns="x">', 'windows_xml'],
    ['{"Channel": "Security", "EventID": 4689, "Hostname": "H"}\n', 'windows_json'],
    ['{"@timestamp":"x","winlog":{"event_id":5}}', 'windows_json'],
    ['{"process":{},"event_type":15,"global_seq_num":1,"event":{"exit":{"stat":0}}}', 'eslogger'],
    ['type=SYSCALL msg=audit(1.2:3): arch=c000003e', 'audit'],
  ])('%s is %s', (head, name) => {
    expect(detectFormat(head)?.name).toBe(name);
  });
});

describe('readRows over the Windows and macOS formats', () => {
  it.skipIf(!existsSync(CORPUS))('chooses each corpus file format by content', async () => {
    const dirs = ['windows/evtx-xml', 'windows/nxlog-json', 'macos/eslogger'];
    const files = dirs.flatMap((d) =>
      readdirSync(join(CORPUS, d))
        .filter((f) => !f.endsWith('.txt'))
        .map((f) => join(CORPUS, d, f)),
    );
    const rows = await collect(files);
    const sources = new Set(rows.map((r) => r.source));
    expect([...sources].sort()).toEqual([
      'eslogger',
      'sysmon',
      'windows_security',
      'windows_system',
    ]);
  });

  it('reads a UTF-16LE file with a byte order mark (PowerShell Out-File)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-replay-'));
    try {
      const xml = readFileSync(join(FIXTURES, 'windows/security-4689-wevtutil.xml'), 'utf8');
      const file = join(dir, 'events.xml');
      writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
      expect((await collect([file])).map((r) => r.pid)).toEqual([6772, 824, 8964]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads by an explicit format', async () => {
    const file = join(FIXTURES, 'macos/signal-v9.ndjson');
    expect((await collect([file], 'eslogger')).map((r) => r.kind)).toEqual(['signal', 'signal']);
  });
});
