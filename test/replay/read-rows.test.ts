import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TERMINATION_COLUMNS } from '../../src/model/termination-columns';
import type { Termination } from '../../src/model/termination';
import { rowJson } from '../../src/cli/replay';
import { readRows } from '../../src/replay/read-rows';
import { auditFormat } from '../../src/replay/audit-format';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pt-replay-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const EXIT = [
  'type=SYSCALL msg=audit(10.000:1): arch=c000003e syscall=231 a0=3 pid=8 comm="a"',
  'type=PROCTITLE msg=audit(10.000:1): proctitle=61',
].join('\n');
// No PROCTITLE: completes only at the end of its file.
const OPEN = 'type=SYSCALL msg=audit(11.000:2): arch=c000003e syscall=231 a0=4 pid=9 comm="b"';

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function collect(files: string[], format = 'auto'): Promise<Termination[]> {
  const rows: Termination[] = [];
  for await (const r of readRows(files, { format, ingestClock: { now: () => 5000 } })) rows.push(r);
  return rows;
}

describe('readRows', () => {
  it('replays files in order, completing open events at the end of each', async () => {
    const a = await file('a.log', `${OPEN}\n${EXIT}\n`);
    const b = await file('b.log', `# recorded by hand\n${EXIT.replaceAll(':1)', ':7)')}`);
    const rows = await collect([a, b]);
    expect(rows.map((r) => [r.eid, r.exit_code, r.ingest_time, r.source])).toEqual([
      ['audit::10.000:1:0', 3, 5, 'replay'],
      ['audit::11.000:2:0', 4, 5, 'replay'],
      ['audit::10.000:7:0', 3, 5, 'replay'],
    ]);
  });

  it('detects audit by its first line, node= included', () => {
    expect(auditFormat.detect('\n# c\ntype=EOE msg=audit(1.0:1):')).toBe(true);
    expect(auditFormat.detect('node=h type=EOE msg=audit(1.0:1):')).toBe(true);
    expect(auditFormat.detect('{"json": 1}\ntype=EOE')).toBe(false);
  });

  it('names the file it cannot read', async () => {
    const missing = join(dir, 'missing.log');
    await expect(collect([missing])).rejects.toThrow(missing);
    await expect(collect([missing], 'audit')).rejects.toThrow(missing);
  });

  it('names the file whose format it cannot tell', async () => {
    const odd = await file('odd.txt', 'hello\n');
    await expect(collect([odd])).rejects.toThrow(/odd\.txt.*--format/);
  });

  it('refuses an unknown format name', async () => {
    await expect(collect([], 'nope')).rejects.toThrow(/unknown replay format "nope".*audit/);
  });
});

describe('rowJson', () => {
  it('writes every column in table order, nulls included', async () => {
    const [row] = await collect([await file('one.log', EXIT)]);
    const json = rowJson(row as Termination);
    expect(Object.keys(JSON.parse(json))).toEqual(TERMINATION_COLUMNS.map((c) => c.name));
    expect(JSON.parse(json)).toMatchObject({ exit_code: 3, signal: null, process_guid: null });
  });
});
