import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHeaderBytes } from '../../src/audit/byte-record';
import { AuditPipeline } from '../../src/audit/pipeline';
import { newHeader, parseHeader } from '../../src/audit/parse-record';
import type { Termination } from '../../src/model/termination';
import { ACTOR, GS, syscall } from './helpers';

const clock = { now: () => 1_800_000_000_500 };

/** Rows and counters of `lines` through push (text) or pushBytes (the byte path). */
function through(lines: string[], bytes: boolean) {
  const p = new AuditPipeline({ source: 'test', ingestClock: clock });
  const rows: Termination[] = [];
  for (const line of lines) {
    if (!bytes) rows.push(...p.push(line, 0));
    else {
      // Each line sits inside a larger buffer, as in a read chunk.
      const buf = Buffer.from(`junk\n${line}\nmore`, 'latin1');
      rows.push(...p.pushBytes(buf, 5, 5 + line.length, 0));
    }
  }
  rows.push(...p.end());
  return { rows, stats: p.stats };
}

const LINES = [
  syscall('9.000:20', 'c000003e', 62, `success=yes a0=c8 a1=f ${ACTOR}`),
  'type=OBJ_PID msg=audit(9.000:20): opid=200 oauid=-1 ouid=0 oses=-1 ocomm="victim"',
  'type=PATH msg=audit(9.000:20): item=0 name="/bin/x"',
  'type=PROCTITLE msg=audit(9.000:20): proctitle=6B696C6C',
  `node=n1 ${syscall('9.500:21', 'c000003e', 231, 'a0=5 pid=300 comm="other"')}`,
  'node=n1 type=PROCTITLE msg=audit(9.500:21): proctitle=6F',
  // An arch this project does not know: the ENRICHED SYSCALL name decides.
  `type=SYSCALL msg=audit(10.000:22): arch=ffff syscall=1 a0=7 pid=9 comm="z"${GS}SYSCALL=exit_group`,
  'type=EOE msg=audit(10.000:22):',
  'type=ANOM_ABEND msg=audit(11.000:23): auid=0 uid=0 pid=44 comm="crashy" exe="/c" sig=11 res=1',
  `type=SERVICE_STOP msg=audit(12.000:24): pid=1 uid=0 auid=4294967295 msg='unit=cron comm="systemd" res=success'`,
  'Dec  3 10:00:00 host audispd: type=SYSCALL msg=audit(13.000:25): arch=c000003e syscall=60 a0=2 pid=5',
  'type=PROCTITLE msg=audit(13.000:25): proctitle=61',
  'type=UNKNOWN[1334] msg=audit(14.000:27): x=1',
  '',
  '# a comment',
  'not an audit record',
  'type=SYSCALL msg=audit(bad): arch=c000003e',
];

describe('the byte path of AuditPipeline', () => {
  it('reads a plain header as parseHeader does, bodyStart relative to the line', () => {
    const line = 'node=h type=PATH msg=audit(1700000000.123:456): item=0';
    const buf = Buffer.from(`xx${line}`, 'latin1');
    const h = newHeader();
    expect(parseHeaderBytes(buf, 2, buf.length, h)).toBe(true);
    expect(h).toEqual({
      node: 'h',
      type: 1302,
      sec: 1700000000,
      msec: 123,
      serial: 456,
      bodyStart: 48,
    });
    const t = newHeader();
    expect(parseHeader(line, t)).toBe(true);
    expect(t).toEqual(h);
  });

  it('leaves other layouts to the text parser', () => {
    const h = newHeader();
    const prefixed = Buffer.from('host: type=EOE msg=audit(1.000:1):', 'latin1');
    expect(parseHeaderBytes(prefixed, 0, prefixed.length, h)).toBe(false);
  });

  it('gives the same rows and counters as push', () => {
    const text = through(LINES, false);
    const bytes = through(LINES, true);
    expect(bytes).toEqual(text);
    // Worked out by hand: kill (signal 15 to pid 200), exit_group(5) on n1, exit_group(7),
    // the crash, the service stop and the syslog-forwarded exit(2).
    expect(text.rows.map((r) => [r.kind, r.pid, r.exit_code ?? r.signal ?? r.service])).toEqual([
      ['signal', 200, 15],
      ['exit', 300, 5],
      ['exit', 9, 7],
      ['crash', 44, 11],
      ['service_stop', null, 'cron'],
      ['exit', 5, 2],
    ]);
    expect(text.stats.parseErrors).toBe(2);
  });

  const corpus = '../shared/corpus/linux-audit';
  const files = existsSync(corpus)
    ? readdirSync(corpus, { recursive: true })
        .map((f) => join(corpus, String(f)))
        .filter((f) => f.endsWith('.log') && statSync(f).isFile() && statSync(f).size < 5e6)
    : [];

  it.skipIf(files.length === 0)('agrees with push on every corpus log (ASCII lines)', () => {
    for (const file of files) {
      const lines = readFileSync(file, 'latin1')
        .split('\n')
        .filter((l) => Buffer.from(l, 'latin1').every((b) => b < 128));
      expect(through(lines, true), file).toEqual(through(lines, false));
    }
  });
});
