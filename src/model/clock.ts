/** Where time comes from, injected so replays and tests are deterministic. Milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that reads the newest event time it has been shown, so that recorded files expire on
 * their own timeline: a replay of last week's log keeps the last `--retention` seconds of it.
 */
export class EventTimeClock implements Clock {
  private newestMs = 0;

  /** Moves the clock forward to the newest `time` (unix seconds) among `rows`. */
  observe(rows: ReadonlyArray<{ time: number }>): void {
    for (const r of rows) if (r.time * 1000 > this.newestMs) this.newestMs = r.time * 1000;
  }

  now(): number {
    return this.newestMs;
  }
}
