import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBpftraceLine, parsePrintf, unescapeBuf } from '../../src/sources/linux/ebpf/parse';

// Lines written the way bpftrace 0.17 prints them with `-f json` (key order, spaces, escapes),
// as seen on this host: printf data is JSON-escaped, %r escapes non-printable bytes as \xNN.
const EXIT_SH = String.raw`{"type": "printf", "data": "X\t809023689778\t8388\t8388\t8366\t0\t768\tsh\\x00\\x00\\x00\n"}`;
const KILL = String.raw`{"type": "printf", "data": "S\t809230006930\t8391\t8392\t0\t8389\t9\t0\t1\t0\tkill\\x00\\x00\tsleep\\x00\n"}`;
const EXEC = String.raw`{"type": "printf", "data": "E\t776871272704\t7836\t/usr/bin/grep\n"}`;

describe('parseBpftraceLine', () => {
  it('reads an exit line: pid, tid, parent, uid, wait status and comm', () => {
    expect(parseBpftraceLine(EXIT_SH)).toEqual({
      type: 'exit',
      ktime: 809023689778n,
      pid: 8388,
      tid: 8388,
      ppid: 8366,
      uid: 0,
      status: 768,
      comm: 'sh',
    });
  });

  it('reads a signal line: sender, target, signal, code, group, result and both comms', () => {
    expect(parseBpftraceLine(KILL)).toEqual({
      type: 'signal',
      ktime: 809230006930n,
      pid: 8391,
      tid: 8392,
      uid: 0,
      target: 8389,
      sig: 9,
      code: 0,
      group: 1,
      result: 0,
      comm: 'kill',
      targetComm: 'sleep',
    });
  });

  it('reads an exec line', () => {
    expect(parseBpftraceLine(EXEC)).toEqual({
      type: 'exec',
      ktime: 776871272704n,
      pid: 7836,
      path: '/usr/bin/grep',
    });
  });

  it('keeps tabs inside an exec path (the last field)', () => {
    const line = String.raw`{"type": "printf", "data": "E\t5\t7\t/tmp/a\tb c\n"}`;
    expect(parseBpftraceLine(line)).toMatchObject({ type: 'exec', pid: 7, path: '/tmp/a\tb c' });
  });

  it.each([
    [
      'json lost notice',
      '{"type": "lost_events", "data": {"events": 17}}',
      { type: 'lost', count: 17 },
    ],
    ['text lost notice', 'Lost 5 events', { type: 'lost', count: 5 }],
    [
      'attach notice',
      '{"type": "attached_probes", "data": {"probes": 3}}',
      { type: 'attached', probes: 3 },
    ],
    ['other json types', '{"type": "time", "data": "12:00:00\\n"}', { type: 'ignored' }],
    ['blank line', '   ', { type: 'ignored' }],
  ])('%s', (_name, line, expected) => {
    expect(parseBpftraceLine(line)).toEqual(expected);
  });

  it.each([
    ['not JSON', 'ERROR: something'],
    ['a JSON array', '[1,2]'],
    ['printf data not a string', '{"type": "printf", "data": 5}'],
    ['unknown tag', String.raw`{"type": "printf", "data": "Q\t1\n"}`],
    ['exit with 7 fields', String.raw`{"type": "printf", "data": "X\t1\t2\t3\t4\t5\t6\n"}`],
    [
      'exit with a word for a number',
      String.raw`{"type": "printf", "data": "X\t1\tpid\t3\t4\t5\t6\tc\n"}`,
    ],
    ['negative ktime', String.raw`{"type": "printf", "data": "E\t-1\t2\t/x\n"}`],
    [
      'signal with 11 fields',
      String.raw`{"type": "printf", "data": "S\t1\t2\t3\t4\t5\t6\t7\t8\t9\tc\n"}`,
    ],
    ['exec without a path field', String.raw`{"type": "printf", "data": "E\t1\t2\n"}`],
  ])('reports %s as an error record', (_name, line) => {
    expect(parseBpftraceLine(line).type).toBe('error');
  });

  // 1000 runs of arbitrary text, and 1000 of printf-shaped lines with random fields; run with
  // `npx vitest run test/ebpf/parse.test.ts`.
  it('never throws on arbitrary lines', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (line) => {
        expect(() => parseBpftraceLine(line)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on printf lines with arbitrary fields', () => {
    const field = fc.oneof(fc.string(), fc.integer().map(String), fc.bigInt().map(String));
    const line = fc
      .tuple(fc.constantFrom('E', 'X', 'S', 'Z', ''), fc.array(field, { maxLength: 14 }))
      .map(([tag, fields]) =>
        JSON.stringify({ type: 'printf', data: [tag, ...fields].join('\t') }),
      );
    fc.assert(
      fc.property(line, (l) => {
        expect(() => parseBpftraceLine(l)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parsePrintf', () => {
  it('accepts the largest ktime a u64 holds', () => {
    const r = parsePrintf('E\t18446744073709551615\t1\t/bin/true');
    expect(r).toMatchObject({ type: 'exec', ktime: 18446744073709551615n });
  });
});

describe('unescapeBuf', () => {
  it.each([
    ['plain text up to the NUL padding', 'sleep\\x00\\x00\\x00', 'sleep'],
    ['an escaped tab and SOH', 'a\\x09b\\x01c', 'a\tb\x01c'],
    ['spaces kept as they are', 'Web Content\\x00', 'Web Content'],
    ['UTF-8 bytes reassembled', '\\xc3\\xa9t\\xc3\\xa9\\x00', 'été'],
    ['a lone backslash kept', 'a\\b', 'a\\b'],
    ['a broken escape kept', 'a\\x4', 'a\\x4'],
    ['nothing but padding', '\\x00\\x00', ''],
  ])('%s', (_name, input, expected) => {
    expect(unescapeBuf(input)).toBe(expected);
  });
});
