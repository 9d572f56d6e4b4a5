import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultStateDir, prepareStateDir } from '../../src/state/state-dir';
import { removeStaleTemps } from '../../src/state/stale-temps';
import { silentLogger } from '../../src/log';

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

  it('refuses a symbolic link given with a trailing slash (statelink/)', async () => {
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    await expect(prepareStateDir(`${join(dir, 'link')}/`)).rejects.toThrow(/symbolic link/);
  });

  it('accepts a link among the parents and returns the path without its trailing slash', async () => {
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'parent'));
    await expect(prepareStateDir(`${join(dir, 'parent', 'state')}/`)).resolves.toBe(
      join(dir, 'parent', 'state'),
    );
  });

  it('says a regular file is not a directory (no raw EEXIST)', async () => {
    writeFileSync(join(dir, 'file'), 'hi\n');
    await expect(prepareStateDir(join(dir, 'file'))).rejects.toThrow(
      `--state-dir ${join(dir, 'file')} exists and is not a directory`,
    );
  });

  it('says when a parent is a regular file', async () => {
    writeFileSync(join(dir, 'file'), 'hi\n');
    await expect(prepareStateDir(join(dir, 'file', 'sub'))).rejects.toThrow(/parent .* is a file/);
  });

  it('removes temp files that interrupted checkpoint writes left behind', async () => {
    const stale = 'audit_log-0123456789ab.json.tmp-999999999';
    writeFileSync(join(dir, stale), '{');
    writeFileSync(join(dir, 'audit_log-0123456789ab.json'), '{}');
    writeFileSync(join(dir, 'notes.tmp-1'), 'not ours');
    await prepareStateDir(dir);
    expect(readdirSync(dir).sort()).toEqual(['audit_log-0123456789ab.json', 'notes.tmp-1']);
  });
});

describe('removeStaleTemps', () => {
  it('keeps the temp file of a live writer', async () => {
    const live = 'audit_log-0123456789ab.json.tmp-4242';
    const dead = 'audisp-ba9876543210.json.tmp-4343';
    writeFileSync(join(dir, live), '');
    writeFileSync(join(dir, dead), '');
    const removed = await removeStaleTemps(dir, silentLogger, (pid) => pid === 4242);
    expect(removed).toEqual([dead]);
    expect(readdirSync(dir)).toEqual([live]);
  });
});
