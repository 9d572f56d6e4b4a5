import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Termination } from '../model/termination';
import type { Logger } from '../log';
import { readRows } from '../replay';
import { EMBEDDED_PACKS } from './embedded-packs';
import { EMBEDDED_MODULE, renderEmbeddedModule } from './embedded-render';
import { loadPack, parsePack, type Pack } from './pack';
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
  const outputs: Array<{ path: string; text: string }> = [];
  const defs = packDefinitions(dir).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  for (const def of defs) {
    for (const file of renderPack(parsePack(def.text, def.path))) {
      outputs.push({ path: join(dir, file.path), text: file.text });
    }
  }
  // Only in a clone (src/sql beside the packs folder) is there a build to embed them in.
  const embedded = join(dir, '..', EMBEDDED_MODULE);
  if (existsSync(dirname(embedded)))
    outputs.push({ path: embedded, text: renderEmbeddedModule(defs) });
  for (const out of outputs) {
    if (readOrNull(out.path) === out.text) continue;
    if (check) {
      stale.push(out.path);
      continue;
    }
    mkdirSync(dirname(out.path), { recursive: true });
    writeFileSync(out.path, out.text);
    written.push(out.path);
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

/**
 * A pack from a definition file (`.pack.yml`) or a bare name: `packs/<name>.pack.yml` under
 * the working directory when it exists (a clone being edited), else the definition built into
 * the program. `flag` is how the user gave it, for the message when nothing is found.
 */
export function resolvePack(nameOrPath: string, flag = '--pack'): Pack {
  const isPath = /[/\\]|\.ya?ml$/.test(nameOrPath);
  const path = isPath ? nameOrPath : join('packs', `${nameOrPath}.pack.yml`);
  if (existsSync(path)) return loadPack(path);
  const builtIn = isPath ? undefined : EMBEDDED_PACKS[nameOrPath];
  if (builtIn !== undefined) return parsePack(builtIn, `${nameOrPath} (built in)`);
  throw new Error(
    `${flag} ${nameOrPath}: no such pack file; give a .pack.yml file, an osquery pack .conf, ` +
      `or a built-in pack name (${Object.keys(EMBEDDED_PACKS).join(', ')})`,
  );
}

/**
 * An osquery pack file (JSON, as `pack gen` writes it) as a runnable pack. Technique ids come
 * from the "ATT&CK: ..." sentence ending each description.
 */
export function loadOsqueryPack(path: string, flag = 'pack'): RunnablePack {
  if (!existsSync(path)) {
    throw new Error(`${flag} ${path}: no such osquery pack file (a .conf as \`pack gen\` writes)`);
  }
  const raw = parseJson(readFileSync(path, 'utf8'), path) as {
    discovery?: unknown;
    queries?: Record<string, { query?: unknown; description?: unknown } | null>;
  } | null;
  if (typeof raw?.queries !== 'object' || !raw.queries || Array.isArray(raw.queries)) {
    throw new Error(`${path} is not an osquery pack: expected a "queries" object`);
  }
  const discovery = Array.isArray(raw.discovery) ? raw.discovery.map(String) : [];
  const queries = Object.entries(raw.queries).map(([name, q]) => {
    if (typeof q?.query !== 'string') throw new Error(`${path}: query ${name} has no "query" text`);
    const tail = /ATT&CK: (.+)\.$/.exec(String(q.description ?? ''));
    return { name, sql: q.query, techniques: tail?.[1]?.split(', ') ?? [] };
  });
  return { discovery, queries };
}

/**
 * A runnable pack: an osquery pack file (`.conf`/`.json`), a definition (`.pack.yml`), or a
 * bare name meaning `packs/<name>.pack.yml`.
 */
export function resolveRunnablePack(nameOrPath: string, flag = 'pack'): RunnablePack {
  if (/\.(conf|json)$/.test(nameOrPath)) return loadOsqueryPack(nameOrPath, flag);
  return resolvePack(nameOrPath, flag);
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`${path} is not an osquery pack: not valid JSON (${reason})`);
  }
}
