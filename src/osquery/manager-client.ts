import * as thriftLib from 'thrift';
import { createClient, TBinaryProtocol, TBufferedTransport, type Connection } from 'thrift';
import type { Logger } from '../log';
import type { ExtensionRegistry } from './routes';
import { ManagerClient, toInfo, uuidInt64, uuidText } from './thrift';

/** What we tell osqueryd about ourselves at registration. */
export interface ExtensionInfo {
  name: string;
  version: string;
  sdk_version: string;
  min_sdk_version: string;
}

/** The manager refused or failed a call; `gone` when its socket is missing or refusing. */
export class ManagerError extends Error {
  override readonly name = 'ManagerError';
  constructor(
    message: string,
    readonly gone = false,
  ) {
    super(message);
  }
}

/** One open connection to osqueryd's ExtensionManager. Calls are answered in order. */
export interface ManagerConnection {
  /** Registers and returns the uuid osqueryd assigned, as decimal text. */
  register(info: ExtensionInfo, registry: ExtensionRegistry): Promise<string>;
  /** Registered extensions: uuid (decimal text) to name. */
  extensions(): Promise<Map<string, string>>;
  deregister(uuid: string): Promise<void>;
  close(): void;
}

const GONE_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EPIPE', 'ECONNRESET']);

/**
 * Opens one connection to the manager at `path` (unix socket or named pipe), with
 * TBufferedTransport + TBinaryProtocol as osqueryd expects. Every call fails after
 * `callTimeoutMs` and when the connection closes, so a dead manager never hangs a caller.
 */
export function openManager(path: string, callTimeoutMs: number): Promise<ManagerConnection> {
  const conn = createUDSConnectionSafe(path);
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      conn.destroy();
      reject(
        new ManagerError(`cannot connect to osqueryd at ${path}: ${err.message}`, isGone(err)),
      );
    };
    conn.once('error', onError);
    conn.once('connect', () => {
      conn.off('error', onError);
      resolve(wrap(conn, callTimeoutMs));
    });
  });
}

/**
 * Connects to the manager, retrying every `retryMs` until `timeoutMs` has passed (osqueryd
 * may still be creating its socket when it launches us). Rejects with the last error.
 */
export async function connectManager(
  path: string,
  options: { timeoutMs: number; callTimeoutMs: number; retryMs?: number; logger: Logger },
): Promise<ManagerConnection> {
  const deadline = Date.now() + options.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await openManager(path, options.callTimeoutMs);
    } catch (err) {
      if (Date.now() + (options.retryMs ?? 200) > deadline) {
        throw new ManagerError(
          `${(err as Error).message}; gave up after ${attempt} attempts in ${options.timeoutMs} ms ` +
            `(is osqueryd running with --extensions_socket=${path}? raise --timeout if it is slow)`,
          (err as ManagerError).gone,
        );
      }
      options.logger.debug('osqueryd not reachable yet; retrying', { attempt });
      await new Promise((r) => setTimeout(r, options.retryMs ?? 200));
    }
  }
}

// @types/thrift lacks createUDSConnection, which node-thrift exports for unix sockets and pipes.
function createUDSConnectionSafe(path: string): Connection {
  const lib = thriftLib as unknown as {
    createUDSConnection(path: string, options: object): Connection;
  };
  return lib.createUDSConnection(path, {
    transport: TBufferedTransport,
    protocol: TBinaryProtocol,
  });
}

function wrap(conn: Connection, callTimeoutMs: number): ManagerConnection {
  const client = createClient(ManagerClient, conn) as ManagerClient;
  let closed: Error | null = null;
  const waiters = new Set<(err: Error) => void>();
  const fail = (err: Error): void => {
    closed ??= err;
    for (const w of waiters) w(err);
    waiters.clear();
  };
  conn.on('error', (err: NodeJS.ErrnoException) =>
    fail(new ManagerError(err.message, isGone(err))),
  );
  conn.on('close', () => fail(new ManagerError('osqueryd closed the connection', true)));
  const call = <T>(what: string, run: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(closed);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(reject);
        reject(new ManagerError(`osqueryd did not answer ${what} within ${callTimeoutMs} ms`));
      }, callTimeoutMs);
      waiters.add(reject);
      run().then(
        (v) => (clearTimeout(timer), waiters.delete(reject), resolve(v)),
        (e: unknown) => (clearTimeout(timer), waiters.delete(reject), reject(asError(what, e))),
      );
    });
  };
  return {
    register: (info, registry) =>
      call('registerExtension', async () => {
        const st = await client.registerExtension(toInfo(info), registry);
        if (st.code !== 0) throw new ManagerError(`osqueryd refused registration: ${st.message}`);
        const uuid = uuidText(st.uuid);
        if (uuid === null) throw new ManagerError('osqueryd accepted registration without a uuid');
        return uuid;
      }),
    extensions: () =>
      call('extensions', async () => {
        const list = (await client.extensions()) as Record<string, { name?: string }>;
        return new Map(Object.entries(list ?? {}).map(([k, v]) => [k, String(v?.name ?? '')]));
      }),
    deregister: (uuid) =>
      call('deregisterExtension', async () => {
        await client.deregisterExtension(uuidInt64(uuid));
      }),
    close: () => {
      closed ??= new ManagerError('connection closed');
      conn.end();
    },
  };
}

function isGone(err: NodeJS.ErrnoException): boolean {
  return err.code !== undefined && GONE_CODES.has(err.code);
}

function asError(what: string, e: unknown): Error {
  if (e instanceof ManagerError) return e;
  return new ManagerError(`${what} failed: ${e instanceof Error ? e.message : String(e)}`);
}
