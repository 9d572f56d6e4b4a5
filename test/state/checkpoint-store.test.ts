import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FilePosition } from '../../src/follow/file-id';
import { CheckpointStore } from '../../src/state/checkpoint-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-ckpt-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pos: FilePosition = {
  path: '/var/log/audit/audit.log',
  dev: 2049,
  ino: 131077,
  offset: 4096,
  fingerprint: { length: 1024, sha256: 'ab'.repeat(32) },
};

describe('CheckpointStore', () => {
  it('loads what it saved', async () => {
    const store = new CheckpointStore(dir);
    await store.save('audit_log', pos.path, pos, 1_700_000_000_000);
    expect(await store.load('audit_log', pos.path)).toEqual({
      version: 1,
      source: 'audit_log',
      saved_at: 1_700_000_000_000,
      position: pos,
    });
  });

  it('leaves exactly one file per source and input, no temp files', async () => {
    const store = new CheckpointStore(dir);
    await store.save('audit_log', '/a/audit.log', pos, 1);
    await store.save('audit_log', '/a/audit.log', { ...pos, offset: 5000 }, 2);
    await store.save('audit_log', '/b/audit.log', pos, 3);
    expect(readdirSync(dir)).toHaveLength(2);
    expect((await store.load('audit_log', '/a/audit.log'))?.position.offset).toBe(5000);
  });

  it('returns null for a missing or malformed checkpoint', async () => {
    const store = new CheckpointStore(dir);
    expect(await store.load('audit_log', '/none')).toBeNull();
    writeFileSync(store.fileFor('audit_log', '/bad'), '{"version":1,');
    expect(await store.load('audit_log', '/bad')).toBeNull();
  });
});
