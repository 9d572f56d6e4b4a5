import { describe, expect, it } from 'vitest';
import { EventBuffer } from '../../src/buffer/event-buffer';
import { emptyTermination, type Termination } from '../../src/model/termination';

function row(eid: string, time: number, pid: number | null = null, source = 'test'): Termination {
  return { ...emptyTermination({ time, ingest_time: time, eid, kind: 'exit', source }), pid };
}

function clockAt(seconds: number) {
  const clock = { ms: seconds * 1000, now: () => clock.ms };
  return clock;
}

describe('EventBuffer', () => {
  it('keeps rows ordered by time even when one arrives late', () => {
    const buf = new EventBuffer({ retentionSeconds: 100, maxEvents: 10 }, clockAt(1000));
    buf.add([row('a', 950), row('c', 970), row('b', 960)]);
    expect(buf.select().map((r) => r.eid)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a second row with the same eid and counts it', () => {
    const buf = new EventBuffer({ retentionSeconds: 100, maxEvents: 10 }, clockAt(1000));
    expect(buf.add([row('a', 950), row('a', 950)])).toBe(1);
    expect(buf.countsBySource().get('test')).toMatchObject({ buffered: 1, duplicates: 1 });
  });

  it('drops the oldest rows beyond maxEvents and counts each drop', () => {
    const buf = new EventBuffer({ retentionSeconds: 1000, maxEvents: 3 }, clockAt(1000));
    buf.add([1, 2, 3, 4, 5].map((i) => row(`e${i}`, 900 + i)));
    expect(buf.select().map((r) => r.eid)).toEqual(['e3', 'e4', 'e5']);
    expect(buf.countsBySource().get('test')).toMatchObject({ buffered: 3, dropped: 2 });
  });

  it('expires rows older than the retention window as the clock moves', () => {
    const clock = clockAt(1000);
    const buf = new EventBuffer({ retentionSeconds: 60, maxEvents: 10 }, clock);
    buf.add([row('old', 935), row('new', 990)]);
    expect(buf.select().map((r) => r.eid)).toEqual(['new']);
    clock.ms = 1051_000;
    expect(buf.select()).toEqual([]);
    expect(buf.countsBySource().get('test')).toMatchObject({ buffered: 0, expired: 2 });
  });

  it('selects by time range and by pid', () => {
    const buf = new EventBuffer({ retentionSeconds: 1000, maxEvents: 100 }, clockAt(1000));
    buf.add([row('a', 901, 7), row('b', 902, 8), row('c', 903, 7), row('d', 904, 9)]);
    expect(buf.select({ timeMin: 902, timeMax: 903 }).map((r) => r.eid)).toEqual(['b', 'c']);
    expect(buf.select({ pids: new Set([7, 9]) }).map((r) => r.eid)).toEqual(['a', 'c', 'd']);
    expect(buf.select({ pids: new Set([7]), timeMin: 902 }).map((r) => r.eid)).toEqual(['c']);
  });

  it('forgets the eid of a dropped row so that a pid index stays exact', () => {
    const buf = new EventBuffer({ retentionSeconds: 1000, maxEvents: 1 }, clockAt(1000));
    buf.add([row('a', 901, 7), row('b', 902, 7)]);
    expect(buf.select({ pids: new Set([7]) }).map((r) => r.eid)).toEqual(['b']);
    expect(buf.add([row('a', 903, 7)])).toBe(1);
  });
});
