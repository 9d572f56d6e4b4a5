import pino from 'pino';
import type { Logger } from '../log';

/**
 * The one place that decides how the extension logs: JSON lines on stderr (osqueryd captures
 * an extension's stderr), info and above unless `verbose`.
 */
export function createLogger(verbose: boolean): Logger {
  const base = pino(
    { name: 'process_terminations', level: verbose ? 'debug' : 'info', base: { pid: process.pid } },
    pino.destination({ fd: 2, sync: true }),
  );
  return {
    debug: (msg, fields) => base.debug(fields ?? {}, msg),
    info: (msg, fields) => base.info(fields ?? {}, msg),
    warn: (msg, fields) => base.warn(fields ?? {}, msg),
    error: (msg, fields) => base.error(fields ?? {}, msg),
  };
}
