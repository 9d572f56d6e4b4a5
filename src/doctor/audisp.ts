import { promises as fs } from 'node:fs';
import { realAutoProbe } from '../sources/auto';
import {
  AF_UNIX_CONF_PATHS,
  DEFAULT_AUDISP_SOCKET,
  enablePluginCommand,
  parseAfUnixPlugin,
  pluginProblems,
} from '../sources/linux/audisp/plugin';
import type { Finding } from './finding';

/** What the audisp checks ask of the host; tests answer with a double. Never throws. */
export interface AudispHost {
  readFile(path: string): Promise<string | null>;
  isSocket(path: string): Promise<boolean>;
  auditdRunning(): Promise<boolean>;
}

export const realAudispHost: AudispHost = {
  readFile: (p) => fs.readFile(p, 'utf8').catch(() => null),
  isSocket: (p) => realAutoProbe.isSocket(p),
  auditdRunning: () => realAutoProbe.auditdRunning(),
};

/**
 * Findings for `--source audisp`: the af_unix plugin file (active, `format = string`, listening
 * on `socketPath`), auditd running, and the socket present. The socket is only looked at, never
 * connected to: the plugin serves one reader at a time, and a probe connection would queue
 * behind (or displace) the extension's.
 */
export async function checkAudisp(
  options: { socketPath?: string; host?: AudispHost } = {},
): Promise<Finding[]> {
  const host = options.host ?? realAudispHost;
  const socketPath = options.socketPath ?? DEFAULT_AUDISP_SOCKET;
  const findings = [await pluginFinding(host, socketPath)];
  const running = await host.auditdRunning();
  findings.push(
    running
      ? { check: 'audisp.auditd', status: 'ok', detail: 'auditd is running' }
      : {
          check: 'audisp.auditd',
          status: 'fail',
          detail: 'auditd is not running: nothing dispatches records',
          fix: 'service auditd start',
        },
  );
  if (await host.isSocket(socketPath)) {
    const detail = `${socketPath} exists (the plugin serves one reader at a time)`;
    findings.push({ check: 'audisp.socket', status: 'ok', detail });
  } else {
    findings.push({
      check: 'audisp.socket',
      status: 'fail',
      detail: `${socketPath} is not a socket: auditd has not loaded the af_unix plugin`,
      fix: enablePluginCommand(),
    });
  }
  return findings;
}

async function pluginFinding(host: AudispHost, socketPath: string): Promise<Finding> {
  for (const conf of AF_UNIX_CONF_PATHS) {
    const text = await host.readFile(conf);
    if (text === null) continue;
    const problems = pluginProblems(parseAfUnixPlugin(text), socketPath);
    if (problems.length === 0) {
      return { check: 'audisp.plugin', status: 'ok', detail: `${conf} is active, format string` };
    }
    const onlySocket = problems.every((p) => p.includes('listens on'));
    return {
      check: 'audisp.plugin',
      status: 'fail',
      detail: `${conf}: ${problems.join('; ')}`,
      fix: onlySocket
        ? `run with --audisp-socket set to the plugin's socket, or edit args in ${conf}`
        : enablePluginCommand(conf),
    };
  }
  return {
    check: 'audisp.plugin',
    status: 'fail',
    detail: `no af_unix plugin file at ${AF_UNIX_CONF_PATHS.join(' or ')}`,
    fix: 'install the auditd package that ships it (Debian/Ubuntu: `apt-get install auditd`; auditd 2.x: `apt-get install audispd-plugins`)',
  };
}
