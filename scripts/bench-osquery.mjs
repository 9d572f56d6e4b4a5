// A minimal osqueryd for the benchmarks, in Node: serves ExtensionManager on a temp socket,
// launches the built extension the way osqueryd autoloads it, times the registerExtension call
// and calls `generate` over a fresh connection per call, as osqueryd does.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { URL } from 'node:url';

const require = createRequire(import.meta.url);
const thrift = require('thrift');
const root = new URL('..', import.meta.url).pathname;
const ExtensionManager = require(join(root, 'extension/gen/ExtensionManager.js'));
const Extension = require(join(root, 'extension/gen/Extension.js'));
const CLI = join(root, 'build/src/cli/main.js');
const WIRE = { transport: thrift.TBufferedTransport, protocol: thrift.TBinaryProtocol };
const ok = (uuid = 0) => ({ code: 0, message: 'OK', uuid });

function managerHandler(onRegister) {
  // One manager per launch, so uuids stay single digits: the binding writes i64 map keys from
  // JS object keys through node-int64, which reads a string as hex.
  let next = 1;
  const live = new Map();
  return {
    ping: (done) => done(null, ok()),
    call: (_r, _i, _q, done) => done(null, { status: { code: 1, message: 'no plugins' } }),
    shutdown: (done) => done(null),
    // The extension watches this list and stops once its uuid is gone, as osqueryd expects.
    extensions: (done) => done(null, Object.fromEntries(live)),
    options: (done) => done(null, {}),
    registerExtension: (info, registry, done) => {
      const uuid = next++;
      live.set(String(uuid), info);
      onRegister({ at: performance.now(), uuid, name: info.name, registry });
      done(null, ok(uuid));
    },
    deregisterExtension: (uuid, done) => {
      live.delete(String(uuid));
      done(null, ok());
    },
    query: (_sql, done) => done(null, { status: { code: 1, message: 'no sql here' } }),
    getQueryColumns: (_sql, done) => done(null, { status: { code: 1, message: 'no sql here' } }),
  };
}

/** osquery's serialized QueryContext: one entry per constrained column. */
export function contextJson(constraints = []) {
  const byName = new Map();
  for (const c of constraints) {
    if (!byName.has(c.name)) byName.set(c.name, []);
    byName.get(c.name).push({ op: c.op, expr: String(c.expr) });
  }
  const list = [...byName].map(([name, l]) => ({ name, list: l, affinity: 'TEXT' }));
  return JSON.stringify({ constraints: list });
}

function rpc(socket, use) {
  return new Promise((resolve, reject) => {
    const conn = thrift.createUDSConnection(socket, WIRE);
    const client = thrift.createClient(Extension, conn);
    conn.on('error', reject);
    // A call whose extension died mid-answer would otherwise wait forever.
    const timer = setTimeout(() => conn.destroy(new Error('no answer within 60 s')), 60_000);
    use(client, (err, res) => {
      clearTimeout(timer);
      conn.end();
      if (err) reject(err);
      else resolve(res);
    });
  });
}

// The extension listens on its own socket only after registering: wait for it to appear.
async function pingUntilUp(socket, timeoutMs = 5000) {
  const t0 = performance.now();
  for (;;) {
    try {
      return await rpc(socket, (c, done) => c.ping(done));
    } catch (err) {
      const retry = err.code === 'ENOENT' || err.code === 'ECONNREFUSED';
      if (!retry || performance.now() - t0 > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

// As osqueryd does for every query: a ping over one fresh connection, the call over another.
async function callExtension(socket, table, request) {
  await pingUntilUp(socket);
  const res = await rpc(socket, (c, done) => c.call('table', table, request, done));
  if (res.status && res.status.code !== 0) {
    throw new Error(`generate failed: ${res.status.message}`);
  }
  return res.response ?? [];
}

/**
 * Starts the manager, then the extension with `args`. Resolves once the socket listens; the
 * returned object's `registered` resolves with { ms, uuid } when registerExtension arrives.
 */
export async function launch(dir, args, { interval = 3 } = {}) {
  const socket = join(dir, `osquery-${process.pid}-${Date.now()}.em`);
  let onRegister;
  const reg = new Promise((r) => (onRegister = r));
  const server = thrift.createServer(ExtensionManager, managerHandler(onRegister), WIRE);
  // A reply to an extension that already hung up (it is stopping) fails with EPIPE: harmless.
  server.on('error', () => {});
  await new Promise((r) => server.listen(socket, r));
  const argv = [CLI, '--socket', socket, '--timeout', '3', '--interval', String(interval), ...args];
  const t0 = performance.now();
  const child = spawn(process.execPath, argv, {
    env: { ...process.env, OSQUERY_EXTENSION: String(process.pid) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  const registered = Promise.race([
    reg.then((r) => ({ ms: r.at - t0, uuid: r.uuid, registry: r.registry })),
    exited.then((code) => {
      const last = stderr.trim().split('\n').slice(-3).join(' | ');
      throw new Error(`extension exited with code ${code} before registering: ${last}`);
    }),
  ]);
  return {
    child,
    registered,
    exited,
    stderr: () => stderr,
    /** Rows of `process_terminations` for the given constraints [{ name, op, expr }]. */
    generate(constraints) {
      return this.generateTable('process_terminations', constraints);
    },
    /** Rows of any table the extension serves. */
    async generateTable(table, constraints) {
      const { uuid } = await registered;
      const request = { action: 'generate', context: contextJson(constraints) };
      return callExtension(`${socket}.${uuid}`, table, request);
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      server.close();
    },
  };
}
