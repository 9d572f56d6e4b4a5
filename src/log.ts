/**
 * The logging contract of library code. Only the CLI entry point chooses where lines go and
 * in what format; everything else receives a Logger. Messages are lower-case sentences without
 * a final period; facts go in `fields`.
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** A Logger that drops everything: the default for tests and library callers. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Shortens untrusted input before it is logged: at most `max` characters, control bytes escaped. */
export function clip(text: string, max = 200): string {
  const short = text.length > max ? `${text.slice(0, max)}...(${text.length} chars)` : text;
  return short.replace(
    /[\x00-\x1f\x7f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
