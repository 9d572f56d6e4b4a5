import type { Logger } from '../log';
import type { TablePlugin } from '../tables/table';
import { EXTENSION_NAME, SDK_VERSION, VERSION } from '../version';
import { dispatchCall } from './dispatch';
import { connectManager, type ExtensionInfo } from './manager-client';
import { extensionSocketPath, isFileSocket, socketPathProblem } from './paths';
import { buildRegistry } from './routes';
import { ExtensionServer } from './server';
import { createExtensionProcessor, type CallArgs } from './call-processor';
import { toStatus, uuidInt64 } from './thrift';
import { registrationCheck, Watchdog } from './watchdog';

/** How the extension meets osqueryd: its flags, in milliseconds, and what it serves. */
export interface ExtensionRunOptions {
  /** osqueryd's manager socket (--socket). */
  socket: string;
  /** How long to keep trying to reach osqueryd at start (--timeout). */
  timeoutMs: number;
  /** How often to check that osqueryd still lists us (--interval). */
  intervalMs: number;
  tables: readonly TablePlugin[];
  logger: Logger;
  info?: ExtensionInfo;
  platform?: NodeJS.Platform;
}

/** Why and how the extension ended: 0 for a requested stop, 1 when osqueryd vanished. */
export interface ExtensionExit {
  code: number;
  reason: string;
}

/** A registered, serving extension. */
export interface RunningExtension {
  readonly uuid: string;
  /** Where we serve: `<socket>.<uuid>`. */
  readonly path: string;
  /** Deregisters (best effort, bounded), stops serving, removes the socket file. Idempotent. */
  stop(reason: string, code?: number): Promise<ExtensionExit>;
  /** Resolves once the extension has stopped, for whatever reason. */
  readonly exited: Promise<ExtensionExit>;
}

/** Deregistration at exit waits at most this long: a stop must finish within 2 s. */
const DEREGISTER_TIMEOUT_MS = 500;

/**
 * Connects to osqueryd (retrying until timeoutMs), registers `process_terminations` with the
 * tables' routes, serves the Extension service on `<socket>.<uuid>` and watches osqueryd every
 * intervalMs. Ends when stop() is called, when osqueryd calls shutdown() (code 0), or when the
 * watchdog finds osqueryd gone or our uuid unlisted (code 1). Rejects when registration fails.
 */
export async function startExtension(options: ExtensionRunOptions): Promise<RunningExtension> {
  const platform = options.platform ?? process.platform;
  const problem = socketPathProblem(options.socket, platform);
  if (problem) throw new Error(problem);
  const started = Date.now();
  const callTimeoutMs = Math.max(1000, options.timeoutMs);
  const conn = await connectManager(options.socket, { ...options, callTimeoutMs });
  let uuid: string;
  try {
    uuid = await conn.register(options.info ?? defaultInfo(), buildRegistry(options.tables));
  } finally {
    conn.close();
  }
  const path = extensionSocketPath(options.socket, uuid);
  const lifecycle = new Lifecycle(options, uuid, path);
  await lifecycle.serve();
  options.logger.info('registered with osqueryd', { uuid, socket: path, ms: Date.now() - started });
  if (!isFileSocket(path, platform)) options.logger.debug('serving on a named pipe', { path });
  return lifecycle;
}

function defaultInfo(): ExtensionInfo {
  return { name: EXTENSION_NAME, version: VERSION, sdk_version: SDK_VERSION, min_sdk_version: '' };
}

class Lifecycle implements RunningExtension {
  readonly exited: Promise<ExtensionExit>;
  private resolveExit!: (exit: ExtensionExit) => void;
  private stopping: Promise<ExtensionExit> | null = null;
  private readonly server: ExtensionServer;
  private readonly watchdog: Watchdog;

  constructor(
    private readonly options: ExtensionRunOptions,
    readonly uuid: string,
    readonly path: string,
  ) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
    const tables = new Map(options.tables.map((t) => [t.name, t]));
    const handler = {
      ping: () => Object.assign(toStatus(0, 'OK'), { uuid: uuidInt64(uuid) }),
      shutdown: () => {
        // Answer first, then stop: the reply must leave before the socket closes.
        setTimeout(() => void this.stop('osqueryd called shutdown()', 0), 10);
      },
    };
    const call = (a: CallArgs) =>
      dispatchCall(tables, a.registry, a.item, a.request, options.logger);
    this.server = new ExtensionServer(createExtensionProcessor(handler, call), {
      logger: options.logger,
      platform: options.platform,
    });
    const check = registrationCheck(options.socket, uuid, Math.max(1000, options.timeoutMs));
    this.watchdog = new Watchdog(
      check,
      options.intervalMs,
      (reason) => void this.stop(reason, 1, false),
      options.logger,
    );
  }

  async serve(): Promise<void> {
    await this.server.listen(this.path);
    this.watchdog.start();
  }

  stop(reason: string, code = 0, deregister = true): Promise<ExtensionExit> {
    this.stopping ??= this.shutdown({ reason, code }, deregister);
    return this.stopping;
  }

  private async shutdown(exit: ExtensionExit, deregister: boolean): Promise<ExtensionExit> {
    this.options.logger[exit.code === 0 ? 'info' : 'error']('stopping extension', {
      reason: exit.reason,
    });
    this.watchdog.stop();
    if (deregister) await this.deregister();
    await this.server.close().catch(() => undefined);
    this.resolveExit(exit);
    return exit;
  }

  private async deregister(): Promise<void> {
    try {
      const conn = await connectManager(this.options.socket, {
        timeoutMs: 0,
        callTimeoutMs: DEREGISTER_TIMEOUT_MS,
        logger: this.options.logger,
      });
      try {
        await conn.deregister(this.uuid);
      } finally {
        conn.close();
      }
    } catch (err) {
      this.options.logger.debug('could not deregister', { error: (err as Error).message });
    }
  }
}
