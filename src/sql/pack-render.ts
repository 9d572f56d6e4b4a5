import { stringify } from 'yaml';
import { policySql, type Pack, type PackPlatform, type PackQuery } from './pack';

/** One generated file: its path relative to the packs directory, and its full text. */
export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
}

const HEADER = (pack: Pack) =>
  `# Generated from ${pack.name}.pack.yml by \`process-terminations pack gen\`; do not edit.\n`;

// osquery's pack `platform` takes one word: posix covers linux and darwin.
function osqueryPlatform(platforms: readonly PackPlatform[]): string {
  const set = new Set(platforms);
  if (set.size === 3) return 'all';
  if (set.size === 2 && set.has('linux') && set.has('darwin')) return 'posix';
  if (set.size === 1) return platforms[0] ?? 'all';
  return 'all';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function osqueryEntry(q: PackQuery): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    query: oneLine(q.sql),
    interval: q.interval,
    description: `${oneLine(q.description)} ATT&CK: ${q.techniques.join(', ')}.`,
    value: oneLine(q.value),
    platform: osqueryPlatform(q.platform),
  };
  if (q.snapshot) entry['snapshot'] = true;
  else entry['removed'] = false;
  return entry;
}

/** The osquery pack JSON (for osqueryd's `packs` config section). */
export function renderOsqueryPack(pack: Pack): string {
  const queries = Object.fromEntries(pack.queries.map((q) => [q.name, osqueryEntry(q)]));
  const conf = { discovery: pack.discovery, queries };
  return `${JSON.stringify(conf, null, 2)}\n`;
}

function fleetDocs(kind: string, specs: Record<string, unknown>[]): string {
  const docs = specs.map((spec) => stringify({ apiVersion: 'v1', kind, spec }, { lineWidth: 0 }));
  return docs.join('---\n');
}

function fleetSpec(q: PackQuery): Record<string, unknown> {
  return {
    name: q.name,
    description: `${oneLine(q.description)} ATT&CK: ${q.techniques.join(', ')}.`,
    query: q.sql.trimEnd(),
    interval: q.interval,
    platform: q.platform.join(','),
    logging: q.snapshot ? 'snapshot' : 'differential_ignore_removals',
    automations_enabled: true,
    observer_can_run: true,
  };
}

/**
 * The Fleet YAML documents: `kind: report` (current Fleet), the same as `kind: query` for Fleet
 * servers older than the reports rename, and `kind: policy` for queries that define a policy.
 */
export function renderFleet(pack: Pack): GeneratedFile[] {
  const specs = pack.queries.map(fleetSpec);
  const policies = pack.queries.flatMap((q) =>
    q.policy
      ? [
          {
            name: q.policy.name,
            description: q.policy.description,
            resolution: q.policy.resolution,
            query: policySql(q),
            platform: q.platform.join(','),
            critical: false,
          },
        ]
      : [],
  );
  return [
    { path: `fleet/${pack.name}.reports.yml`, text: HEADER(pack) + fleetDocs('report', specs) },
    { path: `fleet/${pack.name}.queries.yml`, text: HEADER(pack) + fleetDocs('query', specs) },
    { path: `fleet/${pack.name}.policies.yml`, text: HEADER(pack) + fleetDocs('policy', policies) },
  ];
}

/** Every file generated from a pack, osquery first. */
export function renderPack(pack: Pack): GeneratedFile[] {
  return [{ path: `${pack.name}.conf`, text: renderOsqueryPack(pack) }, ...renderFleet(pack)];
}
