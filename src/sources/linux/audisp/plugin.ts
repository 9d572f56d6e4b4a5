/**
 * The auditd dispatcher's af_unix plugin: where its configuration lives and what it says.
 * auditd 3.x reads `/etc/audit/plugins.d/af_unix.conf`; auditd 2.x with a separate audispd
 * read `/etc/audisp/plugins.d/af_unix.conf`. Debian's auditd 3.0.9 ships it with
 * `active = no`, `args = 0640 /var/run/audispd_events` and `format = string`.
 */

/** Plugin configuration files in the order they are tried. */
export const AF_UNIX_CONF_PATHS = [
  '/etc/audit/plugins.d/af_unix.conf',
  '/etc/audisp/plugins.d/af_unix.conf',
] as const;

export const DEFAULT_AUDISP_SOCKET = '/var/run/audispd_events';

/** The settings of an af_unix plugin file that decide whether this source can read it. */
export interface AfUnixPlugin {
  active: boolean;
  direction: string | null;
  /** `format = string` sends log-format text lines; `binary` sends kernel structs. */
  format: string | null;
  /** The socket the plugin listens on (last word of `args`), or null when `args` has none. */
  socket: string | null;
  /** The socket mode (first word of `args` when it is octal), e.g. `0640`. */
  mode: string | null;
}

/** Parses a plugin file: `key = value` lines, `#` comments; unknown keys are ignored. */
export function parseAfUnixPlugin(text: string): AfUnixPlugin {
  const kv = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  const args = (kv.get('args') ?? '').split(/\s+/).filter((a) => a !== '');
  const mode = args.length > 0 && /^0?[0-7]{3}$/.test(args[0] ?? '') ? (args[0] ?? null) : null;
  const socket = args.find((a) => a.startsWith('/')) ?? null;
  return {
    active: (kv.get('active') ?? 'no').toLowerCase() === 'yes',
    direction: kv.get('direction') ?? null,
    format: kv.get('format')?.toLowerCase() ?? null,
    socket,
    mode,
  };
}

/** Problems that stop this source reading the plugin's socket at `socketPath`; empty when none. */
export function pluginProblems(plugin: AfUnixPlugin, socketPath: string): string[] {
  const out: string[] = [];
  if (!plugin.active) out.push('the af_unix plugin is not active (active = no)');
  if (plugin.format !== null && plugin.format !== 'string') {
    out.push(
      `the af_unix plugin sends format = ${plugin.format}; this source reads format = string`,
    );
  }
  if (plugin.socket !== null && plugin.socket !== socketPath) {
    out.push(`the af_unix plugin listens on ${plugin.socket}, not on ${socketPath}`);
  }
  return out;
}

/** The shell commands that enable the plugin in `conf` and make auditd load it. */
export function enablePluginCommand(conf: string = AF_UNIX_CONF_PATHS[0]): string {
  return (
    `sed -i -e 's/^active *=.*/active = yes/' -e 's/^format *=.*/format = string/' ${conf}` +
    ' && service auditd restart'
  );
}
