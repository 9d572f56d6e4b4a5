import { spawn } from 'node:child_process';
import type { ResultRow, SqlEngine } from './engine';

/** Default --timeout-ms of `query` and `pack run`. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** A statement ran past its time limit and was stopped. */
export class QueryTimeoutError extends Error {
  override readonly name = 'QueryTimeoutError';
}

/**
 * The child's program. It reads one JSON line ({ statements }) and then the database image
 * from stdin, runs each statement on a read-only copy and writes { results } or { error }.
 */
const CHILD = `
const Database = require(process.env.PT_SQLITE_MODULE);
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const input = Buffer.concat(chunks);
  const nl = input.indexOf(10);
  let out;
  try {
    const { statements } = JSON.parse(input.subarray(0, nl).toString('utf8'));
    const db = new Database(input.subarray(nl + 1), { readonly: true });
    out = { results: statements.map((sql) => {
      const st = db.prepare(sql);
      if (!st.reader || !st.readonly) throw new Error('only read-only statements are accepted');
      return st.all();
    }) };
  } catch (err) {
    out = { error: String((err && err.message) || err) };
  }
  process.stdout.write(JSON.stringify(out), () => process.exit(0));
});
`;

/**
 * Runs read-only statements over a copy of the engine's database in a child process, killed
 * (SIGKILL) when all of them together take longer than `timeoutMs`. A child, not a worker
 * thread: better-sqlite3 offers no interrupt or progress handler, and a worker stuck inside
 * sqlite3_step can be neither terminated nor left behind at exit. Each statement is first
 * compiled here, so bad SQL and writes fail fast with SQLite's message or a ReadOnlyError.
 * Results come back as JSON, in statement order.
 */
export async function allWithin(
  engine: SqlEngine,
  statements: readonly string[],
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<ResultRow[][]> {
  for (const sql of statements) engine.assertReadOnly(sql);
  if (statements.length === 0) return [];
  const header = Buffer.from(`${JSON.stringify({ statements })}\n`);
  const out = await runChild(Buffer.concat([header, engine.serialize()]), timeoutMs);
  const parsed = JSON.parse(out) as { results?: ResultRow[][]; error?: string };
  if (parsed.error !== undefined) throw new Error(parsed.error);
  return parsed.results ?? [];
}

function runChild(input: Buffer, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, PT_SQLITE_MODULE: require.resolve('better-sqlite3') };
    const child = spawn(process.execPath, ['-e', CHILD], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdin.on('error', () => undefined);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(timeoutError(timeoutMs));
      else if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else reject(crashError(code, signal, stderr));
    });
    child.stdin.end(input);
  });
}

function timeoutError(ms: number): QueryTimeoutError {
  return new QueryTimeoutError(
    `the SQL ran longer than --timeout-ms ${ms} and was stopped; ` +
      'add a LIMIT or a WHERE clause (a recursive CTE needs a stop condition), or raise --timeout-ms',
  );
}

function crashError(code: number | null, signal: string | null, stderr: string): Error {
  const how = signal ? `signal ${signal}` : `exit ${code}`;
  const why = stderr.trim().split('\n').slice(-1)[0] ?? '';
  return new Error(
    `the SQL process ended without a result (${how}${why ? `: ${why.slice(0, 200)}` : ''}); ` +
      'a query returning too many rows can exhaust memory: add a LIMIT',
  );
}

/** Parses --timeout-ms: a positive whole number of milliseconds. */
export function parseTimeoutMs(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new Error(`--timeout-ms expects a positive whole number of milliseconds, got "${value}"`);
  }
  return ms;
}
