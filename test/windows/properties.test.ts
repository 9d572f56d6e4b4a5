import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WindowsJsonDecoder, WindowsXmlDecoder } from '../../src/sources/windows/decoders';
import { parseEventJson } from '../../src/sources/windows/event-json';
import { parseEventXml } from '../../src/sources/windows/event-xml';
import { WinFormatError } from '../../src/sources/windows/win-event';
import { serviceStateOf } from '../../src/sources/windows/terminations';

// Run counts: 1000 per property over arbitrary text, 300 over XML-ish and JSON-ish fragments.
const clock = { now: () => 0 };
const xmlish = fc
  .array(
    fc.constantFrom(
      '<Event>',
      '</Event>',
      '<System>',
      '</System>',
      '<EventID>4689</EventID>',
      '<Data Name="ProcessId">',
      '</Data>',
      '<EventData>',
      '<Binary>',
      '&amp;',
      '&#x0;',
      '<!--',
      ']]>',
      'x',
    ),
  )
  .map((parts) => parts.join(''));
const jsonish = fc.dictionary(
  fc.constantFrom(
    'EventID',
    'Channel',
    'ProcessId',
    'Status',
    'Message',
    'UtcTime',
    'param2',
    'winlog',
  ),
  fc.oneof(
    fc.string(),
    fc.integer(),
    fc.constant(null),
    fc.constant(4689),
    fc.constant(5),
    fc.constant(7036),
  ),
);

function neverThrows(decoder: { push(t: string): unknown; end(): unknown }, text: string): void {
  decoder.push(text);
  decoder.end();
}

describe('parsers never throw on arbitrary input', () => {
  it('windows_xml decoder', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), xmlish), (t) =>
        neverThrows(new WindowsXmlDecoder({ ingestClock: clock }), t),
      ),
      { numRuns: 1000 },
    );
  });

  it('windows_json decoder', () => {
    const text = fc.oneof(
      fc.string(),
      jsonish.map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(text, (t) => neverThrows(new WindowsJsonDecoder({ ingestClock: clock }), t)),
      { numRuns: 1000 },
    );
  });

  it('arbitrary bytes read as UTF-8 by both decoders', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = Buffer.from(bytes).toString('utf8');
        neverThrows(new WindowsXmlDecoder({ ingestClock: clock }), text);
        neverThrows(new WindowsJsonDecoder({ ingestClock: clock }), text);
      }),
      { numRuns: 1000 },
    );
  });

  it('single-event parsers throw only WinFormatError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), xmlish), (t) => {
        for (const parse of [parseEventXml, parseEventJson]) {
          try {
            parse(t);
          } catch (err) {
            expect(err).toBeInstanceOf(WinFormatError);
          }
        }
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string(), (t) => void serviceStateOf(t)),
      { numRuns: 300 },
    );
  });
});
