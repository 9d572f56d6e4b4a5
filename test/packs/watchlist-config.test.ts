import { describe, expect, it } from 'vitest';
import {
  applyWatchlistConfig,
  parseWatchlistConfig,
  WatchlistConfigError,
} from '../../src/config/watchlist';
import { DEFAULT_WATCHLIST } from '../../src/config/watchlist-defaults';
import { createWatchlistTable } from '../../src/tables/watchlist';

describe('watchlist configuration', () => {
  it('extends the defaults with YAML entries, filling defaults for optional fields', () => {
    const yaml = [
      'watchlist:',
      '  entries:',
      '    - name: mysqld',
      '      category: backup_database',
    ].join('\n');
    const list = applyWatchlistConfig(parseWatchlistConfig(yaml));
    expect(list).toHaveLength(DEFAULT_WATCHLIST.length + 1);
    expect(list.at(-1)).toEqual({
      name: 'mysqld',
      category: 'backup_database',
      platform: 'all',
      kind: 'process',
      match: 'exact',
      required: 0,
    });
  });

  it('replaces the defaults and accepts JSON', () => {
    const json = JSON.stringify({
      watchlist: {
        replace: true,
        entries: [{ name: 'MsMpEng.exe', category: 'security_agent', required: true }],
      },
    });
    const list = applyWatchlistConfig(parseWatchlistConfig(json));
    expect(list).toEqual([
      {
        name: 'MsMpEng.exe',
        category: 'security_agent',
        platform: 'all',
        kind: 'process',
        match: 'exact',
        required: 1,
      },
    ]);
  });

  it('removes default entries by name, case-insensitively', () => {
    const list = applyWatchlistConfig(
      parseWatchlistConfig('watchlist:\n  remove: [XMRIG, auditd]\n'),
    );
    expect(list.some((e) => e.name === 'xmrig' || e.name === 'auditd')).toBe(false);
    // auditd is both a process and a service entry by default: both go.
    expect(list).toHaveLength(DEFAULT_WATCHLIST.length - 3);
  });

  it('ignores keys outside the watchlist section (the file holds other settings too)', () => {
    expect(parseWatchlistConfig('retention: 60\n').entries).toEqual([]);
  });

  it.each([
    [
      'a bad category, on the line of the field',
      'watchlist:\n  entries:\n    - name: x\n      category: antivirus\n',
      /^f\.yml:4: watchlist\.entries\[0\]\.category: /m,
    ],
    [
      'a missing name, on the line of its entry',
      'watchlist:\n  entries:\n    - name: a\n      category: miner\n    - category: miner\n',
      /^f\.yml:5: watchlist\.entries\[1\]\.name: /m,
    ],
    [
      'an unknown key in the section',
      'watchlist:\n  replase: true\n',
      /^f\.yml:2: watchlist: .*replase/m,
    ],
    ['YAML syntax', 'watchlist:\n  entries: [\n', /^f\.yml:\d+: not valid YAML or JSON/],
  ])('names file, line and field for %s', (_name, text, pattern) => {
    let message = '';
    try {
      parseWatchlistConfig(text, 'f.yml');
    } catch (err) {
      expect(err).toBeInstanceOf(WatchlistConfigError);
      message = (err as Error).message;
    }
    expect(
      message
        .split('\n')
        .map((l) => l.trim())
        .join('\n'),
    ).toMatch(pattern);
  });

  it('serves the entries as wire rows with required as text', async () => {
    const table = createWatchlistTable(DEFAULT_WATCHLIST.slice(0, 1));
    expect(table.name).toBe('process_termination_watchlist');
    expect(await table.generate({ constraints: new Map() })).toEqual([
      {
        name: 'auditd',
        category: 'security_agent',
        platform: 'linux',
        kind: 'process',
        match: 'exact',
        required: '1',
      },
    ]);
  });
});
