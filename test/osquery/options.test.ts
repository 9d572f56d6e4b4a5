/**
 * osqueryd's autoload flags (--timeout, --interval) and --max-events as the extension parses
 * them: bounds that keep timers inside what setTimeout can hold, and messages a user can act on.
 */
import { describe, expect, it } from 'vitest';
import { parseExtensionOptions } from '../../src/config/options';

function problem(raw: Record<string, unknown>): string {
  try {
    parseExtensionOptions({ socket: '/var/osquery/osquery.em', ...raw });
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
}

describe('extension option bounds', () => {
  it.each([
    // 2^31 ms is 2147483.648 s: the smallest whole second setTimeout cannot hold.
    [{ interval: '2147484' }, '--interval: interval must be from 1 to 86400 seconds'],
    [{ interval: '86401' }, '--interval: interval must be from 1 to 86400 seconds'],
    [{ interval: '0' }, '--interval: interval must be from 1 to 86400 seconds'],
    [{ interval: 'soon' }, '--interval: interval must be a number of seconds from 1 to 86400'],
    [{ interval: '1.5' }, '--interval: interval must be a whole number of seconds from 1 to 86400'],
    [{ timeout: '3601' }, '--timeout: timeout must be from 1 to 3600 seconds'],
    [{ timeout: '1e10' }, '--timeout: timeout must be from 1 to 3600 seconds'],
    [{ timeout: '-1' }, '--timeout: timeout must be from 1 to 3600 seconds'],
    [{ maxEvents: '1.5' }, '--max-events: max-events must be a whole number of at least 1'],
    [{ maxEvents: '0' }, '--max-events: max-events must be a whole number of at least 1'],
    [{ maxEvents: 'many' }, '--max-events: max-events must be a number'],
  ])('refuses %o', (raw, message) => {
    expect(problem(raw)).toContain(message);
  });

  it.each([
    [
      { interval: '86400', timeout: '3600' },
      { intervalS: 86400, timeoutS: 3600 },
    ],
    [
      { interval: '1', timeout: '1' },
      { intervalS: 1, timeoutS: 1 },
    ],
    [{}, { intervalS: 3, timeoutS: 3 }],
  ])('accepts %o', (raw, want) => {
    const o = parseExtensionOptions({ socket: '/var/osquery/osquery.em', ...raw });
    expect({ intervalS: o.interval, timeoutS: o.timeout }).toEqual(want);
  });

  it('lists every bad option at once', () => {
    const message = problem({ interval: '99999999', maxEvents: 'x' });
    expect(message.split('\n')).toHaveLength(3);
  });
});
