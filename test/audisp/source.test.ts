import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Termination } from '../../src/model/termination';
import { AudispSource } from '../../src/sources/linux/audisp/source';

// One kill(2) event as auditd's af_unix plugin sends it with `format = string`: a1=9 is SIGKILL,
// OBJ_PID names the target. Written by hand from the audit record format (syscall 62 = kill on
// x86_64); pids 4242 (target) and 4300 (sender).
const KILL_EVENT = [
  'type=SYSCALL msg=audit(1700000000.100:77): arch=c000003e syscall=62 success=yes exit=0 a0=1092 a1=9 a2=0 a3=0 items=0 ppid=4299 pid=4300 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="kill" exe="/usr/bin/kill" key="pt_audisp"',
  'type=OBJ_PID msg=audit(1700000000.100:77): opid=4242 oauid=1000 ouid=1000 oses=3 ocomm="sleep"',
  'type=PROCTITLE msg=audit(1700000000.100:77): proctitle=2F62696E2F6B696C6C002D39003432343200',
  'type=EOE msg=audit(1700000000.100:77):',
];
const withSerial = (serial: number) =>
  KILL_EVENT.map((l) => l.replace(':77)', `:${serial})`)).join('\n') + '\n';

let dir = '';
const servers: net.Server[] = [];
const sources: AudispSource[] = [];

afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
  for (const s of servers.splice(0)) s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A stand-in for auditd's plugin socket that hands each new client to `onClient`. */
function listen(socketPath: string, onClient: (c: net.Socket) => void): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer(onClient);
    servers.push(server);
    server.listen(socketPath, () => resolve(server));
  });
}

function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve();
      else if (Date.now() > end) reject(new Error('timed out'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

describe('AudispSource', () => {
  it('rejects with the command that enables the plugin when the socket is missing', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pt-audisp-'));
    const source = new AudispSource({ socketPath: path.join(dir, 'missing') });
    sources.push(source);
    await expect(source.start(() => undefined)).rejects.toThrow(/active = yes.*auditd restart/);
    expect(source.status()).toMatchObject({ state: 'failed' });
  });

  it('turns the dispatched records into rows with source audisp', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pt-audisp-'));
    const socketPath = path.join(dir, 'events');
    await listen(socketPath, (c) => c.write(withSerial(77)));
    const rows: Termination[] = [];
    const source = new AudispSource({ socketPath });
    sources.push(source);
    await source.start((r) => rows.push(...r));
    await until(() => rows.length > 0);
    expect(rows[0]).toMatchObject({ kind: 'signal', pid: 4242, signal: 9, actor_pid: 4300 });
    expect(rows[0]?.source).toBe('audisp');
    expect(source.status()).toMatchObject({ state: 'running', rows: 1 });
  });

  it('reconnects after the daemon closes the socket and keeps reading', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pt-audisp-'));
    const socketPath = path.join(dir, 'events');
    const first = await listen(socketPath, (c) => c.end(withSerial(1)));
    const rows: Termination[] = [];
    const source = new AudispSource({ socketPath, initialBackoffMs: 50, maxBackoffMs: 100 });
    sources.push(source);
    await source.start((r) => rows.push(...r));
    await until(() => source.status().state === 'degraded');
    first.close();
    // auditd re-creates the socket file when it restarts.
    rmSync(socketPath, { force: true });
    await listen(socketPath, (c) => c.write(withSerial(2)));
    await until(() => rows.length === 2 && source.status().state === 'running');
    expect(rows.map((r) => r.eid)).not.toContain(undefined);
    expect(new Set(rows.map((r) => r.eid)).size).toBe(2);
  });
});
