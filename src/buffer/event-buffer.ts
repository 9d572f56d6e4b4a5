import type { Clock } from '../model/clock';
import type { Termination } from '../model/termination';

/** Limits of the buffer, as osquery's events_expiry and events_max. */
export interface BufferLimits {
  /** Rows whose event time is older than now minus this many seconds are expired. */
  retentionSeconds: number;
  /** At most this many rows; beyond it the oldest are dropped and counted. */
  maxEvents: number;
}

/** What the buffer has done with each source's rows; the status table shows it. */
export interface BufferCounts {
  buffered: number;
  /** Dropped to stay within maxEvents (oldest first). */
  dropped: number;
  /** Aged out by retention: the normal end of a row, not a loss. */
  expired: number;
  /** Refused because a row with the same eid was already buffered. */
  duplicates: number;
}

/** A time and pid selection; every part optional. A superset of the matching rows is returned. */
export interface BufferQuery {
  timeMin?: number;
  timeMax?: number;
  pids?: ReadonlySet<number>;
}

interface Entry {
  row: Termination;
  seq: number;
}

/**
 * The rows of every source, ordered by event time (ties by arrival), bounded by count and age.
 *
 * Ordering: rows are kept sorted by `time`; a late row is inserted in place. Eviction: expiry
 * runs on insert and on read against the injected clock; past `maxEvents` the oldest rows are
 * dropped first. A row whose eid is already buffered is refused, so a source may safely re-read
 * input after a restart. Indexes: a binary search on time, and a per-pid list. Single-threaded:
 * callers run on Node's event loop.
 */
export class EventBuffer {
  private entries: Entry[] = [];
  private head = 0;
  private seq = 0;
  private readonly eids = new Set<string>();
  private readonly byPid = new Map<number, Entry[]>();
  private readonly counts = new Map<string, BufferCounts>();

  constructor(
    private readonly limits: BufferLimits,
    private readonly clock: Clock,
  ) {}

  /** Adds rows; returns how many were new. */
  add(rows: readonly Termination[]): number {
    let added = 0;
    for (const row of rows) {
      if (this.insert(row)) added++;
    }
    this.evict();
    return added;
  }

  /** Rows matching the query, oldest first. */
  select(query: BufferQuery = {}): Termination[] {
    this.expire();
    if (query.pids) return this.selectPids(query);
    const from = query.timeMin === undefined ? this.head : this.lowerBound(query.timeMin);
    const out: Termination[] = [];
    for (let i = from; i < this.entries.length; i++) {
      const row = (this.entries[i] as Entry).row;
      if (query.timeMax !== undefined && row.time > query.timeMax) break;
      out.push(row);
    }
    return out;
  }

  /** Number of rows buffered now. */
  get size(): number {
    return this.entries.length - this.head;
  }

  /** Per-source counters, keyed by `Termination.source`. */
  countsBySource(): ReadonlyMap<string, BufferCounts> {
    this.expire();
    return this.counts;
  }

  private insert(row: Termination): boolean {
    const c = this.countsFor(row.source);
    if (this.eids.has(row.eid)) {
      c.duplicates++;
      return false;
    }
    if (this.isExpired(row.time, this.clock.now())) {
      c.expired++;
      return false;
    }
    const entry = { row, seq: this.seq++ };
    const last = this.entries[this.entries.length - 1];
    if (!last || last.row.time <= row.time || this.size === 0) {
      this.entries.push(entry);
    } else {
      this.entries.splice(this.upperBound(row.time), 0, entry);
    }
    this.eids.add(row.eid);
    if (row.pid !== null) this.pidList(row.pid).push(entry);
    c.buffered++;
    return true;
  }

  private selectPids(query: BufferQuery): Termination[] {
    const hits: Entry[] = [];
    for (const pid of query.pids ?? []) hits.push(...(this.byPid.get(pid) ?? []));
    hits.sort((a, b) => a.row.time - b.row.time || a.seq - b.seq);
    return hits
      .map((e) => e.row)
      .filter(
        (r) =>
          (query.timeMin === undefined || r.time >= query.timeMin) &&
          (query.timeMax === undefined || r.time <= query.timeMax),
      );
  }

  private evict(): void {
    this.expire();
    while (this.size > this.limits.maxEvents) {
      const gone = this.removeOldest();
      this.countsFor(gone.row.source).dropped++;
    }
    this.compact();
  }

  private expire(): void {
    const now = this.clock.now();
    while (this.size > 0 && this.isExpired((this.entries[this.head] as Entry).row.time, now)) {
      const gone = this.removeOldest();
      this.countsFor(gone.row.source).expired++;
    }
    this.compact();
  }

  private isExpired(time: number, nowMs: number): boolean {
    return time * 1000 < nowMs - this.limits.retentionSeconds * 1000;
  }

  private removeOldest(): Entry {
    const gone = this.entries[this.head++] as Entry;
    this.eids.delete(gone.row.eid);
    this.countsFor(gone.row.source).buffered--;
    if (gone.row.pid !== null) {
      const list = this.byPid.get(gone.row.pid);
      const at = list ? list.indexOf(gone) : -1;
      if (list && at >= 0) list.splice(at, 1);
      if (list && list.length === 0) this.byPid.delete(gone.row.pid);
    }
    return gone;
  }

  // Reclaims the consumed front of the array once it is at least half of it.
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  // First index whose time is >= t.
  private lowerBound(t: number): number {
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as Entry).row.time < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // First index whose time is > t.
  private upperBound(t: number): number {
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as Entry).row.time <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private pidList(pid: number): Entry[] {
    let list = this.byPid.get(pid);
    if (!list) this.byPid.set(pid, (list = []));
    return list;
  }

  private countsFor(source: string): BufferCounts {
    let c = this.counts.get(source);
    if (!c) this.counts.set(source, (c = { buffered: 0, dropped: 0, expired: 0, duplicates: 0 }));
    return c;
  }
}
