import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log';
import type { Termination } from '../../src/model/termination';
import { auditFormat } from '../../src/replay/audit-format';
import { sniffEncoding } from '../../src/replay/input';
import { scanLines } from '../../src/replay/lines';
import { readRows } from '../../src/replay/read-rows';

// Faults found by an adversarial review of `replay`, one test each, named after the fault.

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pt-replay-reg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const EXIT = [
  'type=SYSCALL msg=audit(10.000:1): arch=c000003e syscall=231 a0=3 pid=8 comm="a"',
  'type=PROCTITLE msg=audit(10.000:1): proctitle=61',
].join('\n');

function recorder(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const none = (): void => undefined;
  const logger = { debug: none, info: none, error: none, warn: (m: string) => warnings.push(m) };
  return { logger: logger as unknown as Logger, warnings };
}

async function collect(files: string[], format = 'auto', logger?: Logger): Promise<Termination[]> {
  const rows: Termination[] = [];
  for await (const r of readRows(files, { format, logger, ingestClock: { now: () => 5000 } })) {
    rows.push(r);
  }
  return rows;
}

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('over-long lines (replay aborted on > 2 GiB without a newline)', () => {
  async function scan(content: string, maxLine: number, chunk: number) {
    const path = await file(`long${Math.random()}`, content);
    const lines: Array<[string, number]> = [];
    const long: Array<[string, number]> = [];
    const it = scanLines(
      path,
      (l, o) => lines.push([l, o]),
      chunk,
      (s, o) => long.push([s, o]),
      maxLine,
    );
    while (!(await it.next()).done);
    return { lines, long };
  }

  it.each([
    ['without a newline at the end', 'a\n' + 'x'.repeat(100), [['a', 0]], 2],
    [
      'followed by a line',
      'a\n' + 'x'.repeat(100) + '\nb\n',
      [
        ['a', 0],
        ['b', 103],
      ],
      2,
    ],
    ['within one chunk', 'x'.repeat(30) + '\nb', [['b', 31]], 0],
  ])('skips a line longer than the limit %s, reported once', async (_n, text, lines, at) => {
    const out = await scan(text, 16, 8);
    expect(out.lines).toEqual(lines);
    expect(out.long).toHaveLength(1);
    expect(out.long[0]?.[1]).toBe(at);
  });

  it('counts a 3 MiB audit line as one parse error with one warning', async () => {
    const path = await file('big.log', `${'type=SYSCALL '.padEnd(3 << 20, 'A')}\n${EXIT}\n`);
    const { logger, warnings } = recorder();
    const rows = await collect([path], 'audit', logger);
    expect(rows.map((r) => r.pid)).toEqual([8]);
    expect(warnings.filter((w) => w.includes('longer than'))).toHaveLength(1);
  });
});

describe('auto-detection', () => {
  it('reads a FIFO (ESPIPE: invalid seek)', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    writer.end(`${EXIT}\n`);
    const rows = await collect([fifo]);
    expect(rows.map((r) => r.pid)).toEqual([8]);
  });

  it('gives no rows and a warning for an empty file, not an error', async () => {
    const { logger, warnings } = recorder();
    expect(await collect([await file('empty.log', '')], 'auto', logger)).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('detects audit after a garbage first line', async () => {
    const path = await file('garbage.log', `garbage\n${EXIT}\n`);
    expect((await collect([path])).map((r) => r.pid)).toEqual([8]);
    expect(auditFormat.detect('x\ny\ntype=EOE msg=audit(1.0:1):')).toBe(false);
  });

  it('warns when a forced wrong format recognised nothing', async () => {
    const { logger, warnings } = recorder();
    const path = await file('audit.log', `${EXIT}\n`);
    expect(await collect([path], 'windows_xml', logger)).toEqual([]);
    expect(warnings.some((w) => w.includes('no windows_xml'))).toBe(true);
  });

  it.each([
    ['UTF-16LE without BOM', Buffer.from('<Event>', 'utf16le'), 'utf16le'],
    ['UTF-16LE with BOM', Buffer.from('\uFEFF<E>', 'utf16le'), 'utf16le'],
    ['UTF-16BE with BOM', Buffer.from([0xfe, 0xff, 0, 0x3c, 0, 0x45]), 'utf16be'],
    ['UTF-16BE without BOM', Buffer.from([0, 0x3c, 0, 0x45, 0, 0x3e, 0, 0x0a]), 'utf16be'],
    ['UTF-8 with a stray NUL', Buffer.from('type=EOE a\0bcdefgh'), 'utf8'],
  ])('sniffs %s', (_n, bytes, encoding) => {
    expect(sniffEncoding(bytes)).toBe(encoding);
  });
});
