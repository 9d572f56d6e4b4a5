import {
  type ChildProcessWithoutNullStreams,
  execFileSync,
  spawn,
  spawnSync,
} from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm run package` once, then the single-file binary copied alone into an empty folder: it
// must answer --version, run its tools, and serve the table to osqueryd's stand-in
// (test/standin/osqueryd_standin.py, Debian python3-thrift) when launched as osqueryd
// autoloads it. The stand-in is driven directly because the .ext is its own executable.
const REPO = path.resolve(__dirname, '../..');
const PYTHON = '/usr/bin/python3';
const STANDIN = path.join(REPO, 'test/standin/osqueryd_standin.py');
const hasThrift = spawnSync(PYTHON, ['-c', 'import thrift']).status === 0;
const VERSION = (
  JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }
).version;

// A kill(7777, SIGKILL) by pid 1001 (bash) as auditd writes it: x86_64 syscall 62 = kill,
// a1=9 the signal; OBJ_PID names the target. Written by hand from the audit record format.
const FIXTURE = [
  'type=SYSCALL msg=audit(1700000000.123:4100): arch=c000003e syscall=62 success=yes exit=0 a0=1e61 a1=9 a2=0 a3=0 items=0 ppid=1000 pid=1001 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="bash" exe="/usr/bin/bash" key="process_terminations"',
  'type=OBJ_PID msg=audit(1700000000.123:4100): opid=7777 oauid=0 ouid=0 oses=1 obj=unconfined ocomm="sleep"',
  'type=PROCTITLE msg=audit(1700000000.123:4100): proctitle="bash"',
  'type=EOE msg=audit(1700000000.123:4100): ',
  '',
].join('\n');

let work: string;
let ext: string;

beforeAll(() => {
  execFileSync('npm', ['run', 'package'], { cwd: REPO, stdio: 'ignore' });
  work = mkdtempSync(path.join(os.tmpdir(), 'pt-pkg-'));
  ext = path.join(work, 'process_terminations.ext');
  copyFileSync(path.join(REPO, 'dist/process_terminations.ext'), ext);
  execFileSync('chmod', ['0755', ext]);
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the .ext with no PATH to node and no node_modules anywhere near it. */
function runAlone(args: string[]) {
  return spawnSync(ext, args, {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
}

describe('the packaged extension', () => {
  it('is alone in its folder and prints its version', () => {
    expect(readdirSync(work)).toEqual(['process_terminations.ext']);
    const r = runAlone(['--version']);
    expect(r.stdout.trim()).toBe(VERSION);
    expect(r.stderr).toBe('');
  });

  it('answers --version after a sub-command too', () => {
    expect(runAlone(['doctor', '--version']).stdout.trim()).toBe(VERSION);
  });

  it('prints the audit rules', () => {
    const r = runAlone(['rules', '--arch', 'b64']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '-a always,exit -F arch=b64 -S exit,exit_group -k process_terminations',
    );
  });

  it('answers --version on nested commands (pack run, pack gen)', () => {
    expect(runAlone(['pack', 'run', '--version']).stdout.trim()).toBe(VERSION);
    expect(runAlone(['pack', 'gen', '--version']).stdout.trim()).toBe(VERSION);
  });

  it('builds the ATT&CK layer of the built-in pack outside the repository', () => {
    const r = runAlone(['attack-layer']);
    expect(r.status).toBe(0);
    const layer = JSON.parse(r.stdout) as { name: string; techniques: unknown[] };
    expect(layer.name).toBe('process-terminations pack coverage');
    expect(layer.techniques.length).toBeGreaterThan(0);
  });

  it('names --pack when the pack file does not exist', () => {
    const r = runAlone(['attack-layer', '--pack', 'missing.pack.yml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--pack missing.pack.yml: no such pack file');
  });

  it('sends query to a clone of the project, where better-sqlite3 is', () => {
    const r = runAlone(['pack', 'run', 'process-terminations', '--replay', '/dev/null']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('node build/src/cli/main.js query');
    expect(r.stderr).not.toContain('npx');
  });

  it('wrote the same rules file beside the build', () => {
    const rules = readFileSync(path.join(REPO, 'dist/process-terminations.rules'), 'utf8');
    expect(rules.split('\n').filter((l) => l.startsWith('-a'))).toHaveLength(4);
  });
});

/** Starts the stand-in with the .ext as the command; resolves once the stand-in is ready. */
function startStandIn(args: string[]) {
  const socket = path.join(work, 'osq.em');
  const child = spawn(
    PYTHON,
    [STANDIN, '--socket', socket, '--timeout', '5', '--interval', '1', '--', ext, ...args],
    {
      cwd: work,
    },
  ) as ChildProcessWithoutNullStreams;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    messages.push(JSON.parse(line) as Record<string, unknown>);
    for (const w of waiters.splice(0)) w();
  });
  const next = (pred: (m: Record<string, unknown>) => boolean, ms = 20_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`stand-in timed out; stderr:\n${stderr}`)),
        ms,
      );
      const look = () => {
        const exit = messages.find((m) => m.event === 'ext_exit');
        if (exit && !pred(exit)) {
          clearTimeout(timer);
          reject(new Error(`the extension exited (${JSON.stringify(exit)}); stderr:\n${stderr}`));
          return;
        }
        const hit = messages.find(pred);
        if (hit) {
          clearTimeout(timer);
          resolve(hit);
        } else waiters.push(look);
      };
      look();
    });
  const send = (msg: Record<string, unknown>) => child.stdin.write(`${JSON.stringify(msg)}\n`);
  return { child, next, send, stderr: () => stderr };
}

const canAudit = process.getuid?.() === 0 && spawnSync('auditctl', ['-s']).status === 0;
const OUR_RULE = ['always,exit', '-F', 'arch=b64', '-S', 'kill', '-k', 'pt_packaging'];

/** Asks for the table until a row matches, for at most `ms`. */
async function pollRow(
  s: ReturnType<typeof startStandIn>,
  match: (r: Record<string, string>) => boolean,
  ms = 15_000,
): Promise<Record<string, string> | undefined> {
  const end = Date.now() + ms;
  for (let id = 100; Date.now() < end; id++) {
    s.send({ id, cmd: 'generate', table: 'process_terminations' });
    const answer = await s.next((m) => m.id === id);
    expect(answer.ok, JSON.stringify(answer)).toBe(true);
    const result = answer.result as { code: number; response: Array<Record<string, string>> };
    expect(result.code, JSON.stringify(result)).toBe(0);
    const hit = result.response.find(match);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 500));
  }
  return undefined;
}

async function stop(s: ReturnType<typeof startStandIn>): Promise<void> {
  s.send({ id: 9, cmd: 'stop' });
  await s.next((m) => m.id === 9, 10_000).catch(() => s.child.kill());
}

describe.skipIf(!hasThrift)('the packaged extension under the osqueryd stand-in', () => {
  it('registers its table and answers a query from a replayed audit log', async () => {
    const log = path.join(work, 'kill.audit.log');
    writeFileSync(log, FIXTURE);
    const s = startStandIn(['--replay', log, '--format', 'audit']);
    try {
      const reg = await s.next((m) => m.event === 'registered');
      expect(JSON.stringify(reg)).toContain('process_terminations');
      const kill = await pollRow(s, (r) => r.kind === 'signal' && r.pid === '7777', 5_000);
      expect(kill).toMatchObject({ pid: '7777', signal: '9', actor_pid: '1001' });
    } finally {
      await stop(s);
    }
  });

  it.skipIf(!canAudit)('reports a kill it reads from the live audit log', async () => {
    if (spawnSync('pgrep', ['-x', 'auditd']).status !== 0) execFileSync('auditd');
    execFileSync('auditctl', ['-a', ...OUR_RULE]);
    const s = startStandIn(['--source', 'audit_log']);
    try {
      await s.next((m) => m.event === 'registered');
      // A fresh victim and a fresh killer, both started after the rule was added.
      const victim = spawn('sleep', ['60']);
      const killer = spawnSync('sh', ['-c', `kill -9 ${victim.pid}`]);
      expect(killer.status).toBe(0);
      const row = await pollRow(s, (r) => r.kind === 'signal' && r.pid === String(victim.pid));
      expect(row).toMatchObject({ signal: '9', signal_name: 'SIGKILL', actor_name: 'sh' });
    } finally {
      spawnSync('auditctl', ['-d', ...OUR_RULE]);
      await stop(s);
    }
  });
});

it.skipIf(hasThrift)(
  'stand-in test skipped: /usr/bin/python3 has no thrift module',
  () => undefined,
);

it('leaves no stub of a native addon reachable from the default command', () => {
  // better-sqlite3 is replaced by a stub that throws only when a command uses it.
  expect(existsSync(path.join(REPO, 'dist/sea/main.cjs'))).toBe(true);
  const bundle = readFileSync(path.join(REPO, 'dist/sea/main.cjs'), 'utf8');
  expect(bundle).not.toMatch(/require\("better-sqlite3"\)/);
  expect(bundle).toContain(
    'better-sqlite3 is a native addon that the single-file extension does not carry',
  );
});
