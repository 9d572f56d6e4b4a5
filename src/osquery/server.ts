import { chmodSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../log';
import {
  DEFAULT_LIMITS,
  serveConnection,
  type ConnectionHandle,
  type ConnectionLimits,
  type RequestProcessor,
} from './connection';
import { isFileSocket } from './paths';

/** Options of the extension's endpoint. */
export interface ServerOptions {
  logger: Logger;
  limits?: ConnectionLimits;
  /**
   * Open connections at most (fd exhaustion guard, default 256). A new connection beyond it
   * closes the connection idle the longest, so stalled clients cannot lock osqueryd out; it is
   * refused only when every connection is busy answering a request.
   */
  maxConnections?: number;
  platform?: NodeJS.Platform;
}

/**
 * The socket mode of our endpoint: owner read/write only. osqueryd runs as root and connects
 * as root; nothing else should be able to query the tables or call shutdown().
 */
export const SOCKET_MODE = 0o600;

/**
 * Serves the Extension service on a unix socket or named pipe. Connections are independent: a
 * client that stalls, sends garbage or disconnects affects only its own connection. The socket
 * file is created under a restrictive umask and chmod-ed after listen, and removed by close().
 */
export class ExtensionServer {
  private server: Server | null = null;
  private readonly sockets = new Map<Socket, ConnectionHandle>();
  private path: string | null = null;

  constructor(
    private readonly processor: RequestProcessor,
    private readonly options: ServerOptions,
  ) {}

  /** Starts listening on `path`, replacing a stale socket file left by a crashed run. */
  async listen(path: string): Promise<void> {
    const platform = this.options.platform ?? process.platform;
    const fileSocket = isFileSocket(path, platform);
    if (fileSocket) removeStaleSocket(path);
    const server = createServer((socket) => this.accept(socket));
    server.on('error', (err) =>
      this.options.logger.warn('extension server error', { error: err.message }),
    );
    const oldMask = fileSocket ? process.umask(0o177) : null;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } finally {
      if (oldMask !== null) process.umask(oldMask);
    }
    if (fileSocket) chmodSync(path, SOCKET_MODE);
    this.server = server;
    this.path = fileSocket ? path : null;
  }

  /** Number of open client connections. */
  get connections(): number {
    return this.sockets.size;
  }

  /** Stops accepting, drops open connections and removes the socket file. Idempotent. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets.keys()) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    const path = this.path;
    this.path = null;
    if (path) {
      try {
        removeStaleSocket(path);
      } catch (err) {
        this.options.logger.warn('could not remove the extension socket', { error: String(err) });
      }
    }
  }

  private accept(socket: Socket): void {
    const max = this.options.maxConnections ?? 256;
    if (this.sockets.size >= max && !this.evictIdlest(max)) {
      this.options.logger.warn('too many busy extension connections; closing a new one', { max });
      socket.destroy();
      return;
    }
    const limits = this.options.limits ?? DEFAULT_LIMITS;
    this.sockets.set(socket, serveConnection(socket, this.processor, limits, this.options.logger));
    socket.on('close', () => this.sockets.delete(socket));
  }

  // Closes the connection idle the longest to make room; false when all are busy.
  private evictIdlest(max: number): boolean {
    let oldest: Socket | null = null;
    let since = Infinity;
    for (const [s, handle] of this.sockets) {
      const idle = handle.idleSince();
      if (idle !== null && idle < since) [oldest, since] = [s, idle];
    }
    if (!oldest) return false;
    this.options.logger.warn('too many extension connections; closing the longest idle', {
      max,
      idleMs: Date.now() - since,
    });
    this.sockets.delete(oldest);
    oldest.destroy();
    return true;
  }
}

// A socket file from an earlier run makes listen fail with EADDRINUSE; anything that is not a
// socket is left alone so a wrong --socket cannot delete a regular file.
function removeStaleSocket(path: string): void {
  if (!existsSync(path)) return;
  if (!lstatSync(path).isSocket()) {
    throw new Error(`${path} exists and is not a socket; remove it or choose another --socket`);
  }
  unlinkSync(path);
}
