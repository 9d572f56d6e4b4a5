import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { findTechnique } from '../attack/techniques';

const PLATFORMS = ['linux', 'darwin', 'windows'] as const;
export type PackPlatform = (typeof PLATFORMS)[number];

const querySchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'name must be lower_snake_case'),
  techniques: z
    .array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'technique ids look like T1562.001'))
    .min(1),
  platform: z.array(z.enum(PLATFORMS)).min(1),
  interval: z.number().int().min(10, 'interval must be at least 10 seconds'),
  snapshot: z.boolean().default(false),
  value: z.string().min(1),
  description: z.string().min(1),
  policy: z
    .strictObject({
      name: z.string().min(1),
      description: z.string().min(1),
      resolution: z.string().min(1),
    })
    .optional(),
  sql: z.string().min(1),
});

/** A pack definition (`packs/*.pack.yml`): the one place its queries are written. */
export const packSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'pack name must be lower-kebab-case'),
  description: z.string().min(1),
  discovery: z.array(z.string().min(1)).default([]),
  queries: z.array(querySchema).min(1),
});

export type Pack = z.infer<typeof packSchema>;
export type PackQuery = Pack['queries'][number];

/** What a pack definition looks like, for messages about files that are not one. */
export const PACK_SHAPE =
  'a pack definition is a YAML mapping with name, description, discovery and queries ' +
  '(each query: name, techniques, platform, interval, value, description, sql); ' +
  'see packs/process-terminations.pack.yml and docs/packs.md';

/**
 * Validates a parsed pack definition: the schema, unique query names, and technique ids that
 * `process_termination_techniques` knows. Throws an Error listing every problem.
 */
export function validatePack(raw: unknown, file = '<pack>'): Pack {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const found = raw === null ? 'nothing' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`;
    throw new Error(`invalid pack ${file}: ${PACK_SHAPE}; this file holds ${found}`);
  }
  const parsed = packSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid pack ${file}:\n${lines.join('\n')}`);
  }
  const problems: string[] = [];
  const names = new Set<string>();
  for (const q of parsed.data.queries) {
    if (names.has(q.name)) problems.push(`  ${q.name}: query name used twice`);
    names.add(q.name);
    for (const id of q.techniques) {
      if (!findTechnique(id)) problems.push(`  ${q.name}: unknown technique ${id}`);
    }
  }
  if (problems.length > 0) throw new Error(`invalid pack ${file}:\n${problems.join('\n')}`);
  return parsed.data;
}

/** Reads and validates a pack definition file (YAML). */
export function loadPack(path: string): Pack {
  return parsePack(readFileSync(path, 'utf8'), path);
}

/**
 * Parses and validates pack definition text; `file` names it in messages, with the line of a
 * YAML syntax error. Alias bombs and other YAML the parser refuses fail with the file named.
 */
export function parsePack(text: string, file: string): Pack {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = lines.linePos(syntax.pos[0]);
    throw new Error(`${file}:${at.line}: not valid YAML: ${syntax.message}; ${PACK_SHAPE}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new Error(
      `${file}: not usable YAML: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return validatePack(raw, file);
}

/** The SQL a policy runs: one row (pass) when the query finds nothing. */
export function policySql(query: PackQuery): string {
  return `SELECT 1 WHERE NOT EXISTS (\n${query.sql.trimEnd()}\n);\n`;
}
