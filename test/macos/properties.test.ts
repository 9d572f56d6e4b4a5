import fc from 'fast-check';
import { describe, it } from 'vitest';
import { EsloggerDecoder } from '../../src/sources/macos/eslogger-decoder';

// Run counts: 1000 per property.
const clock = { now: () => 0 };
const token = fc.oneof(
  fc.array(fc.integer(), { maxLength: 9 }),
  fc.dictionary(fc.constantFrom('pid', 'ruid', 'auid', 'euid'), fc.integer()),
  fc.string(),
);
const process = fc.record({
  audit_token: token,
  ppid: fc.oneof(fc.integer(), fc.string()),
  executable: fc.anything(),
});
const message = fc.record({
  time: fc.oneof(fc.string(), fc.constant('2025-08-07T15:13:09.811587464Z')),
  global_seq_num: fc.oneof(fc.integer(), fc.string()),
  mach_time: fc.oneof(fc.integer(), fc.string()),
  process,
  event: fc.oneof(
    fc.record({ exit: fc.record({ stat: fc.oneof(fc.integer(), fc.string()) }) }),
    fc.record({
      signal: fc.record({
        sig: fc.integer(),
        target: process,
        instigator: fc.oneof(process, fc.constant(null)),
      }),
    }),
    fc.anything(),
  ),
});

function feed(text: string): void {
  const decoder = new EsloggerDecoder({ ingestClock: clock });
  decoder.push(text);
  decoder.end();
}

describe('eslogger decoder never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), feed), { numRuns: 1000 });
  });

  it('on arbitrary bytes read as UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => feed(Buffer.from(b).toString('utf8'))),
      { numRuns: 1000 },
    );
  });

  it('on message-shaped JSON with wrong types', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 4 }), (ms) =>
        feed(ms.map((m) => JSON.stringify(m)).join('\n')),
      ),
      { numRuns: 1000 },
    );
  });
});
