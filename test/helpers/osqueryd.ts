/**
 * Drives the extension the way osqueryd does, through the Python stand-in
 * (test/standin/osqueryd_standin.py: a second Thrift implementation, Debian python3-thrift).
 * `launchExtension` starts the stand-in, which autoloads `node build/src/cli/main.js` with
 * `--socket S --timeout T --interval I --verbose <args>` and OSQUERY_EXTENSION=<pid>; each
 * generate pings over one fresh connection and calls over another.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = resolve(__dirname, '..', '..');
export const MAIN_JS = join(ROOT, 'build', 'src', 'cli', 'main.js');
export const STANDIN = join(ROOT, 'test', 'standin', 'osqueryd_standin.py');
export const PYTHON = '/usr/bin/python3';

export interface StandIn {
  readonly socket: string;
  readonly extensionPid: number;
  registered(): Promise<{ uuid: string; name: string; tables: string[]; ms: number }>;
  generate(
    table: string,
    constraints?: Array<{ name: string; op: number; expr: string }>,
  ): Promise<Record<string, string>[]>;
  call(
    registry: string,
    item: string,
    request: Record<string, string>,
  ): Promise<{ code: number; message: string; response: Record<string, string>[] }>;
  extensionExit(): Promise<number | null>;
  stop(): Promise<void>;
  stderr(): string;
}

/** More than the brief's interface: raw stand-in commands and what the tests inspect. */
export interface StandInControl extends StandIn {
  /** Sends a raw command (drop_uuid, shutdown_ext, stop_manager, ping, extensions, signal). */
  command(cmd: string, fields?: Record<string, unknown>): Promise<unknown>;
  /** The extension's own socket, `<socket>.<uuid>`, once registered. */
  extensionSocket(): Promise<string>;
  /** Registration details including the routes osqueryd received. */
  registration(): Promise<Registration>;
  /** How the extension ended: exit code or the signal that killed it. */
  exitStatus(): Promise<{ code: number | null; signal: string | null }>;
}

export interface Registration {
  uuid: string;
  name: string;
  version: string;
  sdk_version: string;
  min_sdk_version: string;
  tables: string[];
  routes: Record<string, Record<string, Array<Record<string, string>>>>;
  ms: number;
}

export interface LaunchOptions {
  env?: Record<string, string>;
  /** --timeout passed to the extension, seconds (default 3). */
  timeout?: number;
  /** --interval passed to the extension, seconds (default 1, to keep tests short). */
  interval?: number;
}

let built = false;

/**
 * Builds the extension when build/ is older than src/ (cheap when up to date). Tests that
 * launch the CLI call this once; launchExtension calls it too.
 */
export function ensureBuilt(): void {
  if (built) return;
  const out = safeMtime(MAIN_JS);
  if (
    out === 0 ||
    newestMtime(join(ROOT, 'src')) > out ||
    newestMtime(join(ROOT, 'extension')) > out
  ) {
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
  }
  built = true;
}

function safeMtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : safeMtime(p));
  }
  return newest;
}

/** Starts the stand-in, which launches the extension; resolves once the extension is spawned. */
export async function launchExtension(
  args: string[],
  options: LaunchOptions = {},
): Promise<StandInControl> {
  ensureBuilt();
  const dir = mkdtempSync('/tmp/ptosq-');
  const socket = join(dir, 'em');
  const argv = [STANDIN, '--socket', socket, '--timeout', String(options.timeout ?? 3)];
  argv.push('--interval', String(options.interval ?? 1), '--', process.execPath, MAIN_JS, ...args);
  const child = spawn(PYTHON, argv, {
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const session = new Session(child, socket, dir);
  await session.spawned;
  return session;
}

type Event = Record<string, unknown>;

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: Error): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

class Session implements StandInControl {
  extensionPid = 0;
  readonly spawned: Promise<undefined>;
  private err = '';
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void }
  >();
  private readonly reg = deferred<Registration>();
  private readonly exit = deferred<{ code: number | null; signal: string | null }>();
  private readonly spawnedD = deferred<undefined>();
  private readonly closed: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    readonly socket: string,
    private readonly dir: string,
  ) {
    this.spawned = this.spawnedD.promise;
    child.stderr?.on('data', (d: Buffer) => (this.err += d.toString()));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) =>
      this.onLine(line),
    );
    this.closed = new Promise((res) => child.on('close', () => res()));
    void this.closed.then(() => this.onClosed());
  }

  private onLine(line: string): void {
    let msg: Event;
    try {
      msg = JSON.parse(line) as Event;
    } catch {
      this.err += `[stand-in stdout] ${line}\n`;
      return;
    }
    if (typeof msg.id === 'number') return this.answer(msg);
    if (msg.event === 'spawned') {
      this.extensionPid = Number(msg.pid);
      this.spawnedD.resolve(undefined);
    } else if (msg.event === 'registered') {
      // Registration precedes listening; callers want an extension that is serving.
      const reg = msg as unknown as Registration;
      void waitForPath(`${this.socket}.${reg.uuid}`, 15_000).then(() => this.reg.resolve(reg));
    } else if (msg.event === 'ext_exit') {
      const status = { code: msg.code as number | null, signal: msg.signal as string | null };
      // Its last stderr lines may still be in the pipe; let them arrive first.
      setTimeout(() => this.exit.resolve(status), 150);
      this.reg.reject(
        new Error(`extension exited (${JSON.stringify(status)}) before registering:\n${this.err}`),
      );
    }
  }

  private answer(msg: Event): void {
    const p = this.pending.get(msg.id as number);
    if (!p) return;
    this.pending.delete(msg.id as number);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(`stand-in: ${String(msg.error)}\nextension stderr:\n${this.err}`));
  }

  private onClosed(): void {
    const gone = new Error(`the stand-in exited\n${this.err}`);
    this.spawnedD.reject(gone);
    this.reg.reject(gone);
    for (const p of this.pending.values()) p.reject(gone);
    this.pending.clear();
  }

  command(cmd: string, fields: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin?.write(`${JSON.stringify({ id, cmd, ...fields })}\n`);
    });
  }

  async registered(): Promise<{ uuid: string; name: string; tables: string[]; ms: number }> {
    return withTimeout(this.reg.promise, 15_000, 'registration');
  }

  registration(): Promise<Registration> {
    return withTimeout(this.reg.promise, 15_000, 'registration');
  }

  async extensionSocket(): Promise<string> {
    return `${this.socket}.${(await this.registered()).uuid}`;
  }

  async generate(
    table: string,
    constraints: Array<{ name: string; op: number; expr: string }> = [],
  ): Promise<Record<string, string>[]> {
    await this.registered();
    const r = (await this.command('generate', { table, constraints })) as {
      code: number;
      message: string;
      response: Record<string, string>[];
    };
    if (r.code !== 0) throw new Error(`generate ${table} failed: ${r.code} ${r.message}`);
    return r.response;
  }

  async call(
    registry: string,
    item: string,
    request: Record<string, string>,
  ): Promise<{ code: number; message: string; response: Record<string, string>[] }> {
    await this.registered();
    return (await this.command('call', { registry, item, request })) as {
      code: number;
      message: string;
      response: Record<string, string>[];
    };
  }

  async extensionExit(): Promise<number | null> {
    return (await this.exit.promise).code;
  }

  exitStatus(): Promise<{ code: number | null; signal: string | null }> {
    return this.exit.promise;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin?.write(`${JSON.stringify({ id: 0, cmd: 'stop' })}\n`);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 8000);
      await this.closed;
      clearTimeout(timer);
    }
    if (this.extensionPid > 0) {
      try {
        process.kill(this.extensionPid, 'SIGKILL');
      } catch {
        // already gone, as expected
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  stderr(): string {
    return this.err;
  }
}

async function waitForPath(path: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!existsSync(path) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e as Error)),
    );
  });
}

/**
 * Waits until the extension's status table shows `source` running: the extension registers
 * before it starts its source, and bpftrace, for one, takes seconds to attach.
 */
export async function waitForSource(ext: StandIn, source: string, ms = 40_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const status = await ext.generate('process_terminations_status');
    if (status.some((r) => r.source === source && r.state === 'running')) return;
    if (Date.now() > end) throw new Error(`source ${source} did not start within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
