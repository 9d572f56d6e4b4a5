import { z } from 'zod';

import { FORMAT_NAMES, SOURCE_NAMES } from './names';

export { FORMAT_NAMES, SOURCE_NAMES, type FormatName, type SourceName } from './names';

const seconds = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number of seconds` })
    .int(`${name} must be a whole number of seconds`)
    .positive(`${name} must be at least 1`);

// A timer period: Node's setTimeout fires at once for more than 2^31-1 ms (~24.8 days), so a
// larger value would make the watchdog spin; the bounds keep well inside it.
const period = (name: string, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number of seconds from 1 to ${max}` })
    .int(`${name} must be a whole number of seconds from 1 to ${max}`)
    .min(1, `${name} must be from 1 to ${max} seconds`)
    .max(max, `${name} must be from 1 to ${max} seconds`);

/** Largest --interval, in seconds (one day). */
export const MAX_INTERVAL_S = 86_400;
/** Largest --timeout, in seconds (one hour). */
export const MAX_TIMEOUT_S = 3_600;

/**
 * The extension's options after parsing, with osqueryd's autoload flags first. Defaults follow
 * osquery's own: events_expiry 3600, events_max 50000, extensions_timeout 3, interval 3.
 */
export const extensionOptionsSchema = z.object({
  socket: z.string().min(1, 'socket must be the path of osqueryd extension manager socket'),
  timeout: period('timeout', MAX_TIMEOUT_S).default(3),
  interval: period('interval', MAX_INTERVAL_S).default(3),
  verbose: z.boolean().default(false),
  source: z.enum(SOURCE_NAMES).default('auto'),
  auditLog: z.string().min(1).default('/var/log/audit/audit.log'),
  audispSocket: z.string().min(1).default('/var/run/audispd_events'),
  retention: seconds('retention').default(3600),
  maxEvents: z.coerce
    .number({ error: 'max-events must be a number' })
    .int('max-events must be a whole number of at least 1')
    .positive('max-events must be a whole number of at least 1')
    .default(50_000),
  stateDir: z.string().min(1).optional(),
  config: z.string().min(1).optional(),
  replay: z.array(z.string().min(1)).optional(),
  format: z.enum(FORMAT_NAMES).default('auto'),
});

export type ExtensionOptions = z.infer<typeof extensionOptionsSchema>;

/** Parses raw CLI options; throws an Error listing every bad option and its expected form. */
export function parseExtensionOptions(raw: Record<string, unknown>): ExtensionOptions {
  const parsed = extensionOptionsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map(
    (i) => `  --${kebab(String(i.path[0] ?? ''))}: ${i.message}`,
  );
  throw new Error(`invalid options:\n${lines.join('\n')}`);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
