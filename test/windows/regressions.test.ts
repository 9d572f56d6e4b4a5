import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Termination } from '../../src/model/termination';
import { readRows } from '../../src/replay/read-rows';
import { WindowsXmlDecoder } from '../../src/sources/windows/decoders';
import { EventXmlSplitter } from '../../src/sources/windows/event-xml';

// Faults found by an adversarial review of the Windows XML reader, named after the fault.

const FIXTURE = join(__dirname, '../fixtures/windows/security-4689-wevtutil.xml');
const clock = { now: () => 1_800_000_000_500 };
const ev = (id: number, body = '') =>
  `<Event><System><EventRecordID>${id}</EventRecordID></System>${body}</Event>`;

describe('EventXmlSplitter', () => {
  it.each([
    ['a stray unclosed <Event swallowed the next event', ['<Event foo=bar>\n', ev(1)], [ev(1)], 1],
    ['a broken event before two good ones', [`<Event>x${ev(1)}${ev(2)}`], [ev(1), ev(2)], 1],
    ['an unclosed over-long event ate the next', [`<Event>${'z'.repeat(40)}`, ev(2)], [ev(2)], 1],
    ['a complete over-long event passed the limit', [ev(1, 'y'.repeat(40)), ev(2)], [ev(2)], 1],
    [
      'an over-long event in small pieces',
      ['<Event>', 'x'.repeat(30), 'x'.repeat(30), ev(3)],
      [ev(3)],
      1,
    ],
    [
      'no event: text between events is dropped',
      ['<?xml?><Events>', ev(4), '</Events>'],
      [ev(4)],
      0,
    ],
  ])('%s', (_name, pieces, events, drops) => {
    const dropped: string[] = [];
    const s = new EventXmlSplitter(ev(1).length + 10, (reason) => dropped.push(reason));
    expect(pieces.flatMap((p) => s.push(p))).toEqual(events);
    expect(dropped).toHaveLength(drops);
  });

  it('holds at most about the limit of text without an event end', () => {
    const s = new EventXmlSplitter(100);
    s.push('<Event>');
    for (let i = 0; i < 50; i++) s.push('x'.repeat(50));
    expect(s.overflows).toBe(1);
    expect(s.push(ev(5))).toEqual([ev(5)]);
  });

  it('counts a broken event as a parse error and reads the next', () => {
    const decoder = new WindowsXmlDecoder({ ingestClock: clock });
    const text = readFileSync(FIXTURE, 'utf8');
    decoder.push(`<Event foo=bar>\n${text}`);
    expect(decoder.stats.parseErrors).toBe(1);
    expect(decoder.stats.rows).toBeGreaterThan(0);
  });
});

describe('UTF-16 input (decoded as UTF-8: 0 rows silently)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pt-win-reg-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function rows(name: string, bytes: Buffer): Promise<Termination[]> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    const out: Termination[] = [];
    for await (const r of readRows([path], { format: 'auto', ingestClock: clock })) out.push(r);
    return out;
  }

  it('reads UTF-16LE without BOM and UTF-16BE with BOM like UTF-8', async () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const utf8 = await rows('utf8.xml', Buffer.from(text));
    expect(utf8.length).toBeGreaterThan(0);
    expect(await rows('le.xml', Buffer.from(text, 'utf16le'))).toEqual(utf8);
    const be = Buffer.from(`\uFEFF${text}`, 'utf16le').swap16();
    expect(await rows('be.xml', be)).toEqual(utf8);
  });
});
