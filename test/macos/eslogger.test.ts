import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EsloggerDecoder } from '../../src/sources/macos/eslogger-decoder';
import { auditTokenOf } from '../../src/sources/macos/eslogger-event';

// Expected values are worked out by hand: wait(2) status decoded (stat >> 8 exit code, stat &
// 0x7f signal, 0x80 core), Darwin signal numbers from <sys/signal.h>, times with `date -u`.
const FIXTURES = join(__dirname, '../fixtures/macos');
const CORPUS = join(__dirname, '../../../shared/corpus/macos/eslogger');
const clock = { now: () => 1_800_000_000_000 };

function decode(text: string) {
  const decoder = new EsloggerDecoder({ ingestClock: clock });
  const rows = [...decoder.push(text), ...decoder.end()];
  return { rows, stats: decoder.stats };
}

describe.skipIf(!existsSync(CORPUS))('eslogger corpus', () => {
  it('reads the version 9 exit line', () => {
    const { rows } = decode(readFileSync(join(CORPUS, 'exit-v9.ndjson'), 'utf8'));
    expect(rows).toEqual([
      expect.objectContaining({
        time: 1754579589,
        ingest_time: 1800000000,
        eid: 'es:401374797834:1103',
        kind: 'exit',
        pid: 11221,
        path: '/usr/sbin/ipconfig',
        name: 'ipconfig',
        parent: 532,
        uid: 0,
        auid: null,
        exit_code: 0,
        signal: null,
        actor_pid: 11221,
        source: 'eslogger',
      }),
    ]);
  });

  it.each(existsSync(CORPUS) ? readdirSync(CORPUS) : [])('replays %s without an error', (file) => {
    const { stats } = decode(readFileSync(join(CORPUS, file), 'utf8'));
    expect(stats.parseErrors).toBe(0);
    expect(stats.events).toBe(1);
  });
});

describe('eslogger exit with array audit tokens (version 11 fixture)', () => {
  const { rows, stats } = decode(
    readFileSync(join(FIXTURES, 'exit-v11-array-token.ndjson'), 'utf8'),
  );

  it('reads exit status 3 and the array layout [auid, euid, egid, ruid, rgid, pid, ...]', () => {
    expect(rows[0]).toMatchObject({
      kind: 'exit',
      pid: 5555,
      uid: 501,
      auid: 501,
      exit_code: 3,
      signal: null,
    });
  });

  it('reads a SIGSEGV death with core as a crash', () => {
    expect(rows[1]).toMatchObject({
      kind: 'crash',
      pid: 5556,
      time: 1754579701,
      auid: null,
      exit_code: null,
      signal: 11,
      signal_name: 'SIGSEGV',
    });
  });

  it('reads a SIGTERM death as an exit with its signal', () => {
    expect(rows[2]).toMatchObject({ kind: 'exit', pid: 5557, signal: 15, signal_name: 'SIGTERM' });
  });

  it('counts the gap in global_seq_num as lost', () => {
    expect(stats).toEqual({ events: 3, rows: 3, parseErrors: 0, lost: 2, warnings: 0 });
  });
});

describe('eslogger signal (version 9 fixture)', () => {
  const { rows } = decode(readFileSync(join(FIXTURES, 'signal-v9.ndjson'), 'utf8'));

  it('takes the instigator as the actor of a delegated signal', () => {
    expect(rows[0]).toMatchObject({
      kind: 'signal',
      time: 1754579640,
      eid: 'es:500000000001:2000',
      pid: 4321,
      name: 'Foo',
      uid: 501,
      signal: 15,
      signal_name: 'SIGTERM',
      actor_pid: 777,
      actor_path: '/bin/launchctl',
      actor_uid: 501,
    });
  });

  it('takes the sender as the actor when instigator is null', () => {
    expect(rows[1]).toMatchObject({
      signal: 9,
      signal_name: 'SIGKILL',
      actor_pid: 888,
      actor_name: 'kill',
    });
  });
});

describe('audit tokens', () => {
  it('reads both encodings alike', () => {
    const object = { auid: 1, euid: 2, egid: 3, ruid: 4, rgid: 5, pid: 6, asid: 7, pidversion: 8 };
    expect(auditTokenOf([1, 2, 3, 4, 5, 6, 7, 8])).toEqual(object);
    expect(auditTokenOf(object)).toEqual(object);
    expect(auditTokenOf([1, 2, 3])).toBeNull();
    expect(auditTokenOf('x')).toBeNull();
  });

  it('a new client (sequence going back) is not counted as loss', () => {
    const line = (seq: number) =>
      JSON.stringify({ time: '2025-08-07T15:13:09Z', global_seq_num: seq, event: { exec: {} } });
    const { stats } = decode([line(10), line(11), line(0), line(1)].join('\n'));
    expect(stats.lost).toBe(0);
  });
});

describe('eslogger values of the wrong type (sig 1.5, global_seq_num 1e300, time "1")', () => {
  const TOKEN = {
    auid: 501,
    euid: 501,
    egid: 20,
    ruid: 501,
    rgid: 20,
    pid: 888,
    asid: 1,
    pidversion: 2,
  };
  const signalLine = (
    sig: unknown,
    pid: unknown = 4321,
    seq: unknown = 7,
    time: unknown = '2025-08-07T15:13:09.5Z',
  ) =>
    JSON.stringify({
      time,
      mach_time: 100,
      global_seq_num: seq,
      process: { audit_token: TOKEN },
      event: { signal: { sig, target: { audit_token: { ...TOKEN, pid } } } },
    });

  it.each([
    ['sig 1.5', signalLine(1.5), { signal: null, pid: 4321 }],
    ['sig 1e300', signalLine(1e300), { signal: null, pid: 4321 }],
    ['sig 0', signalLine(0), { signal: null, pid: 4321 }],
    ['sig 65', signalLine(65), { signal: null, pid: 4321 }],
    ['target pid 2.5', signalLine(9, 2.5), { signal: 9, pid: null }],
    ['target pid -1', signalLine(9, -1), { signal: 9, pid: null }],
  ])('%s: the column is null and the line warned about', (_name, line, want) => {
    const { rows, stats } = decode(line);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject(want);
    expect(stats.warnings).toBe(1);
    expect(stats.parseErrors).toBe(0);
  });

  it.each([
    ['global_seq_num 1e300', signalLine(9, 1, 1e300)],
    ['global_seq_num 1.5', signalLine(9, 1, 1.5)],
    ['time "1" (Date.parse: 2001)', signalLine(9, 1, 7, '1')],
    ['time as a number', signalLine(9, 1, 7, 12345)],
    ['time without a zone', signalLine(9, 1, 7, '2025-08-07T15:13:09')],
  ])('%s: the line is skipped and counted', (_name, line) => {
    const { rows, stats } = decode(line);
    expect(rows).toEqual([]);
    expect(stats.parseErrors).toBe(1);
    expect(stats.lost).toBe(0);
  });

  it('reads a time with an offset and nanoseconds', () => {
    const { rows } = decode(signalLine(9, 1, 7, '2025-08-07T17:13:09.123456789+02:00'));
    // 2025-08-07T15:13:09Z: `date -u -d 2025-08-07T15:13:09Z +%s` = 1754579589
    expect(rows[0]?.time).toBe(1754579589);
  });

  it('leaves exit_code and signal null for exit.stat 1e20', () => {
    const line = JSON.stringify({
      time: '2025-01-01T00:00:00Z',
      global_seq_num: 3,
      event: { exit: { stat: 1e20 } },
    });
    const { rows, stats } = decode(line);
    expect(rows[0]).toMatchObject({ exit_code: null, signal: null, kind: 'exit' });
    expect(stats.warnings).toBe(1);
  });

  it('reports a 3 MiB line once, not once per chunk', () => {
    const decoder = new EsloggerDecoder({ ingestClock: clock });
    const chunk = 'x'.repeat(64 * 1024);
    decoder.push('{"a":"');
    for (let i = 0; i < 48; i++) decoder.push(chunk);
    decoder.push('"}\n');
    decoder.end();
    expect(decoder.stats.parseErrors).toBe(1);
  });
});
