import { StringDecoder } from 'node:string_decoder';
import type { Termination } from '../../model/termination';
import type { FormatReadOptions, ReadSummary, ReplayFormat } from '../../replay/formats';
import type { ReplayInput, TextEncoding } from '../../replay/input';
import { WindowsJsonDecoder, WindowsXmlDecoder, type RowDecoder } from './decoders';

/**
 * The replay formats of Windows event exports: `windows_xml` (rendered event XML) and
 * `windows_json` (NXLog or Winlogbeat JSON lines). Files may be UTF-8 or UTF-16 (PowerShell's
 * `Out-File` default is UTF-16LE with a byte order mark; some tools leave the mark out).
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

/** Bytes read at a time. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Streams an opened file through a decoder, yielding rows chunk by chunk, and returns what it
 * recognised. Text is decoded as UTF-8, or UTF-16 (LE or BE) when the file starts with that
 * byte order mark or, without one, looks like UTF-16 (NULs in every other byte).
 */
export async function* decodeFile(
  input: ReplayInput,
  decoder: RowDecoder,
  options: FormatReadOptions,
  format: string,
): AsyncGenerator<Termination, ReadSummary> {
  const text = new TextChunks(input.encoding);
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  for (;;) {
    const n = await input.read(buf, 0, CHUNK_BYTES);
    if (n === 0) break;
    yield* decoder.push(text.decode(buf.subarray(0, n)));
  }
  yield* decoder.push(text.end());
  yield* decoder.end();
  const { stats } = decoder;
  options.logger.debug('replayed file', { file: input.file, format, ...stats });
  return { recognised: decoder.recognised, parseErrors: stats.parseErrors };
}

/** Decodes byte chunks of one encoding, whatever the cut; drops a leading byte order mark. */
class TextChunks {
  private readonly decoder: StringDecoder;
  private odd: Buffer | null = null; // UTF-16BE: a byte waiting for its pair
  private first = true;

  constructor(private readonly encoding: TextEncoding) {
    this.decoder = new StringDecoder(encoding === 'utf8' ? 'utf8' : 'utf16le');
  }

  decode(chunk: Buffer): string {
    if (this.encoding === 'utf16be') chunk = this.swap(chunk);
    const text = this.decoder.write(chunk);
    if (!this.first || text === '') return text;
    this.first = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  end(): string {
    return this.decoder.end();
  }

  /** Big-endian pairs to little-endian, carrying an odd last byte to the next chunk. */
  private swap(chunk: Buffer): Buffer {
    const whole = this.odd === null ? Buffer.from(chunk) : Buffer.concat([this.odd, chunk]);
    const even = whole.length & ~1;
    this.odd = even < whole.length ? whole.subarray(even) : null;
    return whole.subarray(0, even).swap16();
  }
}

export const windowsXmlFormat: ReplayFormat = {
  name: 'windows_xml',
  description: 'Windows events as XML (wevtutil qe /f:xml, Get-WinEvent ToXml(), python-evtx)',
  detect: (head) => firstLine(head).startsWith('<'),
  read: (input, options) =>
    decodeFile(input, new WindowsXmlDecoder(options), options, 'windows_xml'),
};

export const windowsJsonFormat: ReplayFormat = {
  name: 'windows_json',
  description: 'Windows events as JSON lines (NXLog im_msvistalog, Winlogbeat)',
  detect: (head) => {
    const keys = jsonKeys(firstLine(head));
    return ['EventID', 'SourceName', 'winlog'].some((k) => keys.includes(k));
  },
  read: (input, options) =>
    decodeFile(input, new WindowsJsonDecoder(options), options, 'windows_json'),
};
