import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanLines } from '../../src/replay/lines';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pt-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(content: Buffer | string, chunk?: number): Promise<Array<[string, number]>> {
  const file = join(dir, `f${Math.random()}`);
  await writeFile(file, content);
  const out: Array<[string, number]> = [];
  const chunks = scanLines(file, (l, o) => out.push([l, o]), chunk);
  while (!(await chunks.next()).done);
  return out;
}

describe('scanLines', () => {
  it('gives lines with byte offsets, CRLF and a last line without newline', async () => {
    expect(await lines('ab\r\ncd\n\nef')).toEqual([
      ['ab', 0],
      ['cd', 4],
      ['', 7],
      ['ef', 8],
    ]);
  });

  it('keeps lines whole across small chunks and grows for long lines', async () => {
    const long = 'x'.repeat(100);
    expect(await lines(`a\n${long}\nb\n`, 8)).toEqual([
      ['a', 0],
      [long, 2],
      ['b', 103],
    ]);
  });

  it('decodes UTF-8 with byte offsets and replaces invalid bytes', async () => {
    // "é" is 2 bytes; 0xff is invalid UTF-8
    const content = Buffer.concat([
      Buffer.from('é\n'),
      Buffer.from([0x61, 0xff, 0x0a]),
      Buffer.from('z'),
    ]);
    expect(await lines(content)).toEqual([
      ['é', 0],
      ['a\ufffd', 3],
      ['z', 6],
    ]);
  });

  it('passes NUL bytes through', async () => {
    expect(await lines('a\0b\n')).toEqual([['a\0b', 0]]);
  });

  it('gives nothing for an empty file', async () => {
    expect(await lines('')).toEqual([]);
  });
});
