import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import {
  DEFAULT_WATCHLIST,
  WATCH_CATEGORIES,
  WATCH_KINDS,
  WATCH_MATCHES,
  WATCH_PLATFORMS,
  type WatchEntry,
} from './watchlist-defaults';

const entrySchema = z.strictObject({
  name: z.string().min(1, 'name must be a non-empty process or service name'),
  category: z.enum(WATCH_CATEGORIES),
  platform: z.enum(WATCH_PLATFORMS).default('all'),
  kind: z.enum(WATCH_KINDS).default('process'),
  match: z.enum(WATCH_MATCHES).default('exact'),
  required: z.boolean().default(false),
});

/**
 * The `watchlist` section of the configuration file. `replace: true` drops the defaults;
 * `remove` drops default entries by name (case-insensitive) before `entries` are added.
 */
export const watchlistSectionSchema = z.strictObject({
  replace: z.boolean().default(false),
  remove: z.array(z.string().min(1)).default([]),
  entries: z.array(entrySchema).default([]),
});

export type WatchlistFile = z.infer<typeof watchlistSectionSchema>;

// The file is shared with other settings, so only the `watchlist` key is checked here.
const fileSchema = z.looseObject({
  watchlist: watchlistSectionSchema.default({ replace: false, remove: [], entries: [] }),
});

/** A configuration file that failed to parse or validate; the message names file, line and field. */
export class WatchlistConfigError extends Error {
  override readonly name = 'WatchlistConfigError';
}

/**
 * Parses configuration text (JSON or YAML) and validates its `watchlist` section; other keys
 * are left to their owners. `file` is only used in messages.
 */
export function parseWatchlistConfig(text: string, file = '<config>'): WatchlistFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = lines.linePos(syntax.pos[0]);
    throw new WatchlistConfigError(`${file}:${at.line}: not valid YAML or JSON: ${syntax.code}`);
  }
  const parsed = fileSchema.safeParse(toJs(doc, file) ?? {});
  if (parsed.success) return parsed.data.watchlist;
  const messages = parsed.error.issues.map((issue) => {
    const line = lineOf(doc, lines, issue.path);
    const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`));
    return `${file}:${line}: ${field.join('').replace(/^\./, '') || '(top level)'}: ${issue.message}`;
  });
  throw new WatchlistConfigError(
    `invalid watchlist configuration (see docs/packs.md, "Tuning"):\n  ${messages.join('\n  ')}`,
  );
}

// toJS refuses alias bombs ("Excessive alias count ...") and the like; the message names the file.
function toJs(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new WatchlistConfigError(`${file}: not usable YAML or JSON: ${reason}`);
  }
}

// The line of the deepest node of `path` that exists: a missing key points at its parent.
function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

/** Applies a configuration to the defaults: replace or remove, then add; duplicates dropped. */
export function applyWatchlistConfig(
  config: WatchlistFile,
  defaults: readonly WatchEntry[] = DEFAULT_WATCHLIST,
): WatchEntry[] {
  const removed = new Set(config.remove.map((n) => n.toLowerCase()));
  const base = config.replace ? [] : defaults.filter((e) => !removed.has(e.name.toLowerCase()));
  const added = config.entries.map((e) => ({ ...e, required: e.required ? 1 : 0 }));
  const seen = new Set<string>();
  return [...base, ...added].filter((e) => {
    const key = [e.name.toLowerCase(), e.category, e.platform, e.kind].join('\0');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The effective watchlist: the defaults, or the defaults changed by the file at `path`. */
export function loadWatchlist(path?: string): WatchEntry[] {
  if (!path) return [...DEFAULT_WATCHLIST];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new WatchlistConfigError(`cannot read watchlist configuration ${path}: ${reason}`);
  }
  return applyWatchlistConfig(parseWatchlistConfig(text, path));
}
