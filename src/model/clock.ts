/** Where time comes from, injected so replays and tests are deterministic. Milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
