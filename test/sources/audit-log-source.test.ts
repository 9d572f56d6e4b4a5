import {
  appendFileSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLogAccessError } from '../../src/sources/linux/audit-log/access-error';
import { tempDir, until } from '../follow/helpers';
import { exitEvent, killEvent, stamps, text } from './audit-lines';
import { startSource } from './harness';

let tmp: ReturnType<typeof tempDir>;
let log: string;
let state: string;
beforeEach(() => {
  tmp = tempDir();
  log = join(tmp.dir, 'audit.log');
  state = join(tmp.dir, 'state');
});
afterEach(() => tmp.cleanup());

describe('AuditLogSource', () => {
  it('reads rotated files and the live log at start, then follows', async () => {
    const next = stamps(1000);
    writeFileSync(`${log}.1`, text(exitEvent(next(), 101, 1)));
    writeFileSync(log, text(exitEvent(next(), 102, 2)));
    const { source, buffer } = await startSource(log, state);
    expect(buffer.select().map((r) => [r.pid, r.exit_code])).toEqual([
      [101, 1],
      [102, 2],
    ]);
    appendFileSync(log, text(killEvent(next(), 300, 4000, 9)));
    await until(() => buffer.size === 3);
    expect(buffer.select()[2]).toMatchObject({
      kind: 'signal',
      pid: 4000,
      signal: 9,
      actor_pid: 300,
    });
    expect(source.status()).toMatchObject({ state: 'running', events_read: 3, rows: 3, lost: 0 });
    await source.stop();
    // Every event is complete, so the checkpoint is at the end of the live log.
    const [file] = readdirSync(state);
    const saved = JSON.parse(readFileSync(join(state, file ?? ''), 'utf8'));
    expect(saved.position).toMatchObject({ path: log, offset: statSync(log).size });
    expect(source.status().checkpoint).toMatch(/audit\.log \(inode \d+:\d+\) @\d+$/);
  });

  it('checkpoints at the first line of an event still being assembled', async () => {
    const next = stamps(500);
    const done = text(exitEvent(next(), 501, 0));
    writeFileSync(log, done + text(killEvent(next(), 300, 502, 9, false)));
    const limits = { retentionSeconds: 3600, maxEvents: 100 };
    const { source } = await startSource(log, state, limits, 60_000);
    await source.stop();
    // The kill has no PROCTITLE yet and no idle flush ran: resume at its SYSCALL line.
    expect(source.status().checkpoint).toMatch(new RegExp(`@${Buffer.byteLength(done)}$`));
  });

  it('completes an event without its last record once the log is quiet', async () => {
    writeFileSync(log, '');
    const { source, buffer } = await startSource(log, null);
    appendFileSync(log, text(killEvent(stamps(7)(), 300, 4001, 15, false)));
    await until(() => buffer.size === 1, 1000);
    expect(buffer.select()[0]).toMatchObject({ pid: 4001, signal: 15 });
    await source.stop();
  });

  it('holds the same rows, once each, after a restart across a rotation', async () => {
    const next = stamps(2000);
    writeFileSync(log, text([...exitEvent(next(), 201, 0), ...exitEvent(next(), 202, 3)]));
    const first = await startSource(log, state);
    await until(() => first.buffer.size === 2);
    await first.source.stop();
    // While down: one more event, a rotation, another event in the new file.
    appendFileSync(log, text(exitEvent(next(), 203, 4)));
    renameSync(log, `${log}.1`);
    writeFileSync(log, text(exitEvent(next(), 204, 5)));
    const second = await startSource(log, state);
    expect(second.buffer.select().map((r) => r.pid)).toEqual([201, 202, 203, 204]);
    const eids = first.buffer.select().map((r) => r.eid);
    expect(
      second.buffer
        .select()
        .slice(0, 2)
        .map((r) => r.eid),
    ).toEqual(eids);
    expect(second.source.status().lost).toBe(0);
    await second.source.stop();
  });

  it('counts a file gap when the file it stopped in vanished while down', async () => {
    const next = stamps(3000);
    writeFileSync(log, text(exitEvent(next(), 301, 0)));
    const first = await startSource(log, state);
    await first.source.stop();
    writeFileSync(join(tmp.dir, 'new'), text(exitEvent(next(), 302, 0)));
    renameSync(join(tmp.dir, 'new'), log); // the old file is gone for good
    const second = await startSource(log, state);
    expect(second.source.status()).toMatchObject({ lost: 1, state: 'degraded' });
    expect(second.source.status().last_error).toMatch(/input lost/);
    await second.source.stop();
  });

  it('fails to start with the fix when the log is missing', async () => {
    await expect(startSource(join(tmp.dir, 'none.log'), null)).rejects.toThrow(
      /does not exist; start auditd .* or pass --audit-log PATH/,
    );
  });
});

describe('auditLogAccessError', () => {
  it('says how to get read access to the log', () => {
    const err = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    const msg = auditLogAccessError(err, '/var/log/audit/audit.log').message;
    expect(msg).toMatch(
      /^cannot read the audit log \/var\/log\/audit\/audit.log: permission denied/,
    );
    expect(msg).toMatch(/run the extension as root/);
    expect(msg).toMatch(
      /group that owns \/var\/log\/audit \(log_group in \/etc\/audit\/auditd.conf/,
    );
    expect(msg).not.toMatch(/\n/);
  });
});
