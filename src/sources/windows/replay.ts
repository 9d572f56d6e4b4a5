import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Termination } from '../../model/termination';
import type { FormatReadOptions, ReplayFormat } from '../../replay/formats';
import { WindowsJsonDecoder, WindowsXmlDecoder, type RowDecoder } from './decoders';

/**
 * The replay formats of Windows event exports: `windows_xml` (rendered event XML) and
 * `windows_json` (NXLog or Winlogbeat JSON lines). Files may be UTF-8 or UTF-16LE with a byte
 * order mark (PowerShell's `Out-File` default).
 */

/** The first line of `head` with text, BOM and UTF-16 NULs removed. */
export function firstLine(head: string): string {
  const clean = head.replace(/^[\uFEFF\uFFFD]+/, '').replace(/\0/g, '');
  return (
    clean
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  );
}

/** The top-level keys of a JSON object line, or an empty list. */
export function jsonKeys(line: string): string[] {
  try {
    const doc: unknown = JSON.parse(line);
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? Object.keys(doc) : [];
  } catch {
    // A first line cut off by the detection window: look for the keys in its text instead.
    return [...line.matchAll(/"([\w@.]+)"\s*:/g)].map((m) => m[1] ?? '');
  }
}

/** Streams a file through a decoder, yielding rows chunk by chunk. */
export async function* decodeFile(
  file: string,
  decoder: RowDecoder,
  options: FormatReadOptions,
  format: string,
): AsyncIterable<Termination> {
  const stream = createReadStream(file, { encoding: await encodingOf(file) });
  for await (const chunk of stream) yield* decoder.push(chunk as string);
  yield* decoder.end();
  options.logger.debug('replayed file', { file, format, ...decoder.stats });
}

async function encodingOf(file: string): Promise<BufferEncoding> {
  const handle = await open(file, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0xff && buffer[1] === 0xfe ? 'utf16le' : 'utf8';
  } finally {
    await handle.close();
  }
}

export const windowsXmlFormat: ReplayFormat = {
  name: 'windows_xml',
  description: 'Windows events as XML (wevtutil qe /f:xml, Get-WinEvent ToXml(), python-evtx)',
  detect: (head) => firstLine(head).startsWith('<'),
  read: (file, options) => decodeFile(file, new WindowsXmlDecoder(options), options, 'windows_xml'),
};

export const windowsJsonFormat: ReplayFormat = {
  name: 'windows_json',
  description: 'Windows events as JSON lines (NXLog im_msvistalog, Winlogbeat)',
  detect: (head) => {
    const keys = jsonKeys(firstLine(head));
    return ['EventID', 'SourceName', 'winlog'].some((k) => keys.includes(k));
  },
  read: (file, options) =>
    decodeFile(file, new WindowsJsonDecoder(options), options, 'windows_json'),
};
