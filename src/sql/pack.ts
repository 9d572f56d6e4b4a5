import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
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

/**
 * Validates a parsed pack definition: the schema, unique query names, and technique ids that
 * `process_termination_techniques` knows. Throws an Error listing every problem.
 */
export function validatePack(raw: unknown, file = '<pack>'): Pack {
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
  return validatePack(parse(readFileSync(path, 'utf8')), path);
}

/** The SQL a policy runs: one row (pass) when the query finds nothing. */
export function policySql(query: PackQuery): string {
  return `SELECT 1 WHERE NOT EXISTS (\n${query.sql.trimEnd()}\n);\n`;
}
