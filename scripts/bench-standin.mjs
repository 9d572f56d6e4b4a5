// Drives the team's python stand-in (test/standin/osqueryd_standin.py) for the generate
// benchmark: python-thrift decodes a 50,000-row answer in seconds where node-thrift's buffered
// transport, used by bench-osquery.mjs, takes over a minute, which would measure the client.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const STANDIN = join(root, 'test/standin/osqueryd_standin.py');
const CLI = join(root, 'build/src/cli/main.js');

/** Launches stand-in + extension; `generate(table, constraints)` resolves with the rows. */
export function launchStandIn(dir, args) {
  const socket = join(dir, `standin-${Date.now()}.em`);
  const argv = [STANDIN, '--socket', socket, '--interval', '600', '--', process.execPath, CLI];
  const py = spawn('/usr/bin/python3', [...argv, ...args], { stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map();
  let next = 1;
  let onRegistered;
  const child = { pid: null, exitCode: null };
  const registered = new Promise((r) => (onRegistered = r));
  createInterface({ input: py.stdout }).on('line', (line) => {
    const msg = JSON.parse(line);
    if (msg.event === 'registered') onRegistered(msg);
    if (msg.event === 'spawned') child.pid = msg.pid;
    if (msg.event === 'ext_exit') child.exitCode = msg.code;
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.ok) w.resolve(msg.result);
    else w.reject(new Error(msg.error));
  });
  const send = (cmd) =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      py.stdin.write(`${JSON.stringify({ id, ...cmd })}\n`);
    });
  return {
    registered,
    child,
    stderr: () => '',
    async generateTable(table, constraints = []) {
      const r = await send({ cmd: 'generate', table, constraints });
      if (r.code !== 0) throw new Error(`generate failed: ${r.message}`);
      return r.response ?? [];
    },
    generate(constraints) {
      return this.generateTable('process_terminations', constraints);
    },
    async stop() {
      await send({ cmd: 'stop' }).catch(() => {});
      py.kill('SIGTERM');
    },
  };
}
