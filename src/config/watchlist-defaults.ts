/**
 * The default watchlist: process and service names the pack's queries care about, grouped by
 * category. Names are as the platform reports them in `name` / `service`: Linux audit `comm`
 * is cut to 15 bytes (so long names use `prefix`), Windows image names end in `.exe`, and
 * Windows 7036 events carry a service's display name (so those use `contains`). Drawn from
 * common public detection practice; replace or extend it with `--config`.
 */
export const WATCH_CATEGORIES = [
  'security_agent',
  'logging_agent',
  'backup_database',
  'miner',
] as const;
export type WatchCategory = (typeof WATCH_CATEGORIES)[number];
export const WATCH_PLATFORMS = ['linux', 'windows', 'darwin', 'all'] as const;
export const WATCH_KINDS = ['process', 'service'] as const;
export const WATCH_MATCHES = ['exact', 'prefix', 'contains'] as const;

export interface WatchEntry {
  name: string;
  category: WatchCategory;
  platform: (typeof WATCH_PLATFORMS)[number];
  kind: (typeof WATCH_KINDS)[number];
  match: (typeof WATCH_MATCHES)[number];
  /** 1: the "agent not running" query expects this process on every host of its platform. */
  required: number;
}

type Short = [name: string, platform: WatchEntry['platform'], match?: WatchEntry['match']];

function group(category: WatchCategory, kind: WatchEntry['kind'], items: Short[]): WatchEntry[] {
  return items.map(([name, platform, match]) => ({
    name,
    category,
    platform,
    kind,
    match: match ?? 'exact',
    required: 0,
  }));
}

const securityProcesses: Short[] = [
  ['auditd', 'linux'],
  ['osqueryd', 'all', 'prefix'],
  ['falcon-sensor', 'linux'],
  ['falcond', 'darwin'],
  ['s1-agent', 'linux'],
  ['s1-orchestrator', 'linux'],
  ['wazuh-', 'all', 'prefix'],
  ['ossec-', 'all', 'prefix'],
  ['elastic-agent', 'all', 'prefix'],
  ['elastic-endpoin', 'all', 'prefix'],
  ['wdavdaemon', 'all', 'prefix'],
  ['mdatp', 'linux', 'prefix'],
  ['clamd', 'all', 'prefix'],
  ['falco', 'linux'],
  ['tetragon', 'linux'],
  ['ds_agent', 'linux'],
  ['cbagentd', 'linux'],
  ['santad', 'darwin'],
  ['SentinelAgent', 'all', 'prefix'],
  ['MsMpEng.exe', 'windows'],
  ['MsSense.exe', 'windows'],
  ['NisSrv.exe', 'windows'],
  ['CSFalconService.exe', 'windows'],
  ['CSFalconContainer.exe', 'windows'],
  ['SentinelServiceHost.exe', 'windows'],
  ['Sysmon', 'windows', 'prefix'],
  ['xagt.exe', 'windows'],
  ['CylanceSvc.exe', 'windows'],
  ['TaniumClient', 'all', 'prefix'],
];

const loggingProcesses: Short[] = [
  ['rsyslogd', 'linux'],
  ['syslog-ng', 'all', 'prefix'],
  ['systemd-journal', 'linux', 'prefix'],
  ['syslogd', 'darwin'],
  ['fluent-bit', 'all', 'prefix'],
  ['fluentd', 'all', 'prefix'],
  ['td-agent-bit', 'linux'],
  ['filebeat', 'all', 'prefix'],
  ['auditbeat', 'all', 'prefix'],
  ['winlogbeat', 'windows', 'prefix'],
  ['splunkd', 'all', 'prefix'],
  ['nxlog', 'all', 'prefix'],
  ['vector', 'linux'],
  ['otelcol', 'all', 'prefix'],
];

const securityServices: Short[] = [
  ['auditd', 'linux'],
  ['osqueryd', 'all', 'prefix'],
  ['falcon-sensor', 'linux', 'prefix'],
  ['wazuh-agent', 'all', 'prefix'],
  ['elastic-agent', 'all', 'prefix'],
  ['mdatp', 'linux', 'prefix'],
  ['Defender', 'windows', 'contains'],
  ['Sysmon', 'windows', 'prefix'],
  ['CrowdStrike', 'windows', 'contains'],
  ['SentinelOne', 'windows', 'contains'],
  ['Windows Event Log', 'windows'],
];

const loggingServices: Short[] = [
  ['rsyslog', 'linux', 'prefix'],
  ['syslog-ng', 'linux', 'prefix'],
  ['systemd-journald', 'linux', 'prefix'],
  ['fluent-bit', 'all', 'prefix'],
  ['filebeat', 'all', 'prefix'],
  ['splunk', 'all', 'contains'],
];

const backupServices: Short[] = [
  ['Volume Shadow Copy', 'windows'],
  ['VSS', 'windows'],
  ['SQL', 'all', 'contains'],
  ['veeam', 'all', 'contains'],
  ['backup', 'all', 'contains'],
  ['Exchange', 'windows', 'contains'],
  ['oracle', 'all', 'contains'],
  ['mariadb', 'linux', 'prefix'],
  ['mongod', 'linux', 'prefix'],
  ['acronis', 'all', 'contains'],
  ['bacula', 'linux', 'prefix'],
];

const miners: Short[] = [
  ['xmrig', 'all', 'prefix'],
  ['xmr-stak', 'all', 'prefix'],
  ['kinsing', 'linux', 'prefix'],
  ['kdevtmpfsi', 'linux', 'prefix'],
  ['kworkerds', 'linux'],
  ['minerd', 'all', 'prefix'],
  ['cpuminer', 'all', 'prefix'],
  ['ccminer', 'all', 'prefix'],
  ['lolminer', 'all', 'prefix'],
  ['nbminer', 'all', 'prefix'],
  ['PhoenixMiner', 'all', 'prefix'],
  ['nanominer', 'all', 'prefix'],
  ['SRBMiner', 'all', 'prefix'],
  ['teamredminer', 'all', 'prefix'],
];

/** Every default entry; auditd is `required` because the Linux sources read its log. */
export const DEFAULT_WATCHLIST: readonly WatchEntry[] = [
  ...group('security_agent', 'process', securityProcesses).map((e) =>
    e.name === 'auditd' ? { ...e, required: 1 } : e,
  ),
  ...group('logging_agent', 'process', loggingProcesses),
  ...group('security_agent', 'service', securityServices),
  ...group('logging_agent', 'service', loggingServices),
  ...group('backup_database', 'service', backupServices),
  ...group('miner', 'process', miners),
];
