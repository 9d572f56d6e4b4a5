import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditPipeline } from '../../src/audit/pipeline';

/**
 * Robustness: whatever the input, the pipeline never throws and every line is either a record
 * or a counted parse error. 500 runs per property (fast-check's default is 100).
 */
const RUNS = 500;

const VALID = [
  'type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=62 success=yes a0=64 a1=9 pid=5 comm="k"',
  'type=OBJ_PID msg=audit(1.000:1): opid=100 oauid=-1 ouid=0 oses=-1 ocomm="v"',
  'type=PROCTITLE msg=audit(1.000:1): proctitle=6B696C6C',
  'type=SYSCALL msg=audit(2.000:2): arch=c000003e syscall=231 a0=7 pid=6 comm=736820',
  'type=ANOM_ABEND msg=audit(3.000:3): pid=7 comm="c" sig=11',
  'type=SERVICE_STOP msg=audit(4.000:4): pid=1 msg=\'unit=a comm="systemd" res=success\'',
  'type=EOE msg=audit(2.000:2): ',
];

/** A valid line cut, broken or stuffed with odd bytes. */
const mangled = fc.oneof(
  fc.tuple(fc.constantFrom(...VALID), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))),
  fc
    .tuple(fc.constantFrom(...VALID), fc.nat(), fc.string({ unit: 'binary', maxLength: 20 }))
    .map(([l, n, s]) => {
      const at = n % (l.length + 1);
      return l.slice(0, at) + s + l.slice(at);
    }),
  fc.constantFrom(...VALID).map((l) => l.replace(/=[0-9A-Fa-f]+/g, '=ZZ')), // broken hex
  fc.constantFrom(...VALID).map((l) => l.replace(/ [a-z0-9]+=\S+/g, '')), // fields missing
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }).map((s) => `type=${s} msg=audit(1.0:1): x=${s}`),
);

function pushAll(lines: string[]): AuditPipeline {
  const p = new AuditPipeline({ source: 'test', maxPendingEvents: 8 });
  for (const line of lines) p.push(line);
  p.flush(false);
  p.flush(true);
  return p;
}

describe('AuditPipeline never throws', () => {
  it('on arbitrary strings, NULs and lone surrogates included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 30 }),
        (lines) => {
          const p = pushAll(lines);
          const nonBlank = lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
          expect(p.stats.records + p.stats.parseErrors).toBe(nonBlank);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('on truncated, stuffed, hex-broken and field-less records', () => {
    fc.assert(
      fc.property(fc.array(mangled, { maxLength: 40 }), (lines) => {
        const p = pushAll(lines);
        expect(p.stats.records + p.stats.parseErrors).toBeLessThanOrEqual(lines.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('on arbitrary bytes decoded as UTF-8 (invalid sequences included)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        pushAll(Buffer.from(bytes).toString('utf8').split('\n'));
      }),
      { numRuns: RUNS },
    );
  });

  it('on a megabyte line', () => {
    const p = new AuditPipeline({ source: 'test' });
    const huge = `type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=231 a0=1 comm=${'41'.repeat(500_000)}`;
    p.push(huge);
    const rows = p.push('type=PROCTITLE msg=audit(1.000:1): proctitle=41');
    expect(rows[0]?.name).toHaveLength(500_000);
    expect(p.push('x'.repeat(1 << 20))).toEqual([]);
    expect(p.stats.parseErrors).toBe(1);
  });
});
