import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Termination } from '../model/termination';
import type { Logger } from '../log';
import { readRows } from '../replay';
import { loadPack, type Pack } from './pack';
import { renderPack } from './pack-render';
import type { RunnablePack } from './run-pack';

/** The pack definitions (`*.pack.yml`) in `dir`, sorted by file name. */
export function packDefinitions(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pack.yml'))
    .sort()
    .map((f) => join(dir, f));
}

/** Result of {@link generatePackFiles}: paths written (or, with `check`, found stale). */
export interface GenerateResult {
  readonly written: string[];
  readonly stale: string[];
}

/**
 * Renders every pack definition in `dir` into its osquery and Fleet files beside it. With
 * `check`, writes nothing and lists the files whose content differs from what would be written.
 */
export function generatePackFiles(dir: string, check = false): GenerateResult {
  const written: string[] = [];
  const stale: string[] = [];
  for (const def of packDefinitions(dir)) {
    for (const file of renderPack(loadPack(def))) {
      const path = join(dir, file.path);
      if (readOrNull(path) === file.text) continue;
      if (check) {
        stale.push(path);
        continue;
      }
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.text);
      written.push(path);
    }
  }
  return { written, stale };
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Every row of the recorded files, in file order (see src/replay for the formats). */
export async function collectRows(
  files: string[],
  options: { format?: string; logger?: Logger } = {},
): Promise<Termination[]> {
  const rows: Termination[] = [];
  const read = {
    format: options.format ?? 'auto',
    ...(options.logger ? { logger: options.logger } : {}),
  };
  for await (const row of readRows(files, read)) rows.push(row);
  return rows;
}

/** A pack from a definition (`.pack.yml`) or, for a bare name, `packs/<name>.pack.yml`. */
export function resolvePack(nameOrPath: string): Pack {
  const path = /[/\\]|\.ya?ml$/.test(nameOrPath)
    ? nameOrPath
    : join('packs', `${nameOrPath}.pack.yml`);
  return loadPack(path);
}

/**
 * An osquery pack file (JSON, as `pack gen` writes it) as a runnable pack. Technique ids come
 * from the "ATT&CK: ..." sentence ending each description.
 */
export function loadOsqueryPack(path: string): RunnablePack {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as {
    discovery?: unknown;
    queries?: Record<string, { query?: unknown; description?: unknown }>;
  };
  if (!raw.queries || typeof raw.queries !== 'object') {
    throw new Error(`${path} is not an osquery pack: expected a "queries" object`);
  }
  const discovery = Array.isArray(raw.discovery) ? raw.discovery.map(String) : [];
  const queries = Object.entries(raw.queries).map(([name, q]) => {
    if (typeof q.query !== 'string') throw new Error(`${path}: query ${name} has no "query" text`);
    const tail = /ATT&CK: (.+)\.$/.exec(String(q.description ?? ''));
    return { name, sql: q.query, techniques: tail?.[1]?.split(', ') ?? [] };
  });
  return { discovery, queries };
}

/**
 * A runnable pack: an osquery pack file (`.conf`/`.json`), a definition (`.pack.yml`), or a
 * bare name meaning `packs/<name>.pack.yml`.
 */
export function resolveRunnablePack(nameOrPath: string): RunnablePack {
  if (/\.(conf|json)$/.test(nameOrPath)) return loadOsqueryPack(nameOrPath);
  return resolvePack(nameOrPath);
}
