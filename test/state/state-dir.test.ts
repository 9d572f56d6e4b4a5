import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultStateDir, prepareStateDir } from '../../src/state/state-dir';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const isRoot = process.getuid?.() === 0;

describe('defaultStateDir', () => {
  it('is /var/lib/process_terminations for root on Linux', () => {
    expect(defaultStateDir({}, true)).toBe('/var/lib/process_terminations');
  });

  it('follows XDG_STATE_HOME for other users', () => {
    expect(defaultStateDir({ XDG_STATE_HOME: '/x/state' }, false)).toBe(
      '/x/state/process_terminations',
    );
  });

  it('falls back to ~/.local/state', () => {
    expect(defaultStateDir({}, false)).toMatch(/\/\.local\/state\/process_terminations$/);
  });
});

describe('prepareStateDir', () => {
  it('creates the directory and its parents with mode 0700', async () => {
    const target = join(dir, 'a', 'b');
    await prepareStateDir(target);
    expect(statSync(target).mode & 0o777).toBe(0o700);
  });

  it('tightens an existing directory to 0700', async () => {
    const target = join(dir, 'open');
    mkdirSync(target, { mode: 0o755 });
    chmodSync(target, 0o755);
    await prepareStateDir(target);
    expect(statSync(target).mode & 0o777).toBe(0o700);
  });

  it('refuses a symbolic link', async () => {
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    await expect(prepareStateDir(join(dir, 'link'))).rejects.toThrow(/symbolic link/);
  });

  it.skipIf(!isRoot)('refuses a directory owned by another user', async () => {
    const target = join(dir, 'theirs');
    mkdirSync(target);
    chownSync(target, 65534, 65534);
    await expect(prepareStateDir(target)).rejects.toThrow(/belongs to uid 65534/);
  });
});
