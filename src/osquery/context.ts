import type { Constraint, QueryContext } from '../tables/table';

/** The `context` of a generate request could not be read; the call answers status 1. */
export class QueryContextError extends Error {
  override readonly name = 'QueryContextError';
}

/** At most this many constraints per column: osqueryd sends one per WHERE term. */
const MAX_CONSTRAINTS_PER_COLUMN = 10_000;

/**
 * Parses the JSON `context` osqueryd sends with action `generate`:
 * `{"constraints":[{"name":"pid","list":[{"op":2,"expr":"1"}],"affinity":"INTEGER"}],...}`.
 * Tolerant of what osquery versions differ in: `list` may be the empty string "" (no
 * constraints on that column), `op` a number or a numeric string, `expr` a string or number.
 * An empty or missing context means no constraints. Unknown keys (colsUsed, ...) are ignored.
 * Throws QueryContextError for text that is not JSON or has the wrong shape.
 */
export function parseQueryContext(text: string | undefined): QueryContext {
  if (text === undefined || text.trim() === '') return { constraints: new Map() };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new QueryContextError('context is not JSON: expected {"constraints":[...]}');
  }
  if (!isObject(doc)) throw new QueryContextError('context must be a JSON object');
  const raw = doc.constraints ?? [];
  if (!Array.isArray(raw)) throw new QueryContextError('context.constraints must be a list');
  const constraints = new Map<string, Constraint[]>();
  for (const entry of raw) addColumn(constraints, entry);
  return { constraints };
}

function addColumn(into: Map<string, Constraint[]>, entry: unknown): void {
  if (!isObject(entry) || typeof entry.name !== 'string') {
    throw new QueryContextError('each context constraint needs a column "name"');
  }
  const list = entry.list;
  if (list === '' || list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    throw new QueryContextError(`constraints of column ${entry.name} must be a list or ""`);
  }
  if (list.length > MAX_CONSTRAINTS_PER_COLUMN) {
    throw new QueryContextError(
      `column ${entry.name} has ${list.length} constraints; at most ${MAX_CONSTRAINTS_PER_COLUMN}`,
    );
  }
  const parsed = list.map((c: unknown) => parseConstraint(entry.name as string, c));
  if (parsed.length === 0) return;
  into.set(entry.name, [...(into.get(entry.name) ?? []), ...parsed]);
}

function parseConstraint(column: string, c: unknown): Constraint {
  if (!isObject(c)) throw new QueryContextError(`a constraint of ${column} is not an object`);
  const op = typeof c.op === 'string' && /^\d+$/.test(c.op) ? Number(c.op) : c.op;
  if (typeof op !== 'number' || !Number.isInteger(op)) {
    throw new QueryContextError(`a constraint of ${column} has no numeric "op"`);
  }
  const expr = typeof c.expr === 'number' ? String(c.expr) : c.expr;
  if (typeof expr !== 'string') {
    throw new QueryContextError(`a constraint of ${column} has no string "expr"`);
  }
  return { op, expr };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
