import { TECHNIQUES } from '../attack/techniques';
import type { WatchEntry } from '../config/watchlist-defaults';
import { systemClock, type Clock } from '../model/clock';
import { TERMINATION_COLUMNS } from '../model/termination-columns';
import type { Termination } from '../model/termination';
import { TECHNIQUE_COLUMNS } from '../tables/techniques';
import { WATCHLIST_COLUMNS } from '../tables/watchlist';
import { VERSION } from '../version';
import { SqlEngine, type ResultRow } from './engine';
import { extensionsTable, processesTable, timeTable, type ProcessRow } from './host-tables';
import { policySql, type Pack } from './pack';
import { allWithin } from './timed-query';

/** What the engine's tables hold. */
export interface PackData {
  readonly terminations: Iterable<Termination>;
  readonly watchlist: readonly WatchEntry[];
  /** Rows of the `processes` stand-in (readProcesses() for this host). */
  readonly processes?: readonly ProcessRow[];
  /** Sets `time.unix_time`, against which the queries' ingest_time windows are measured. */
  readonly clock?: Clock;
}

/**
 * An engine with the extension's three tables and the osquery core tables the pack reads,
 * shaped as osquery shows them (same names, columns and types).
 */
export function createPackEngine(data: PackData): SqlEngine {
  return new SqlEngine([
    { name: 'process_terminations', columns: TERMINATION_COLUMNS, rows: data.terminations },
    { name: 'process_termination_techniques', columns: TECHNIQUE_COLUMNS, rows: TECHNIQUES },
    { name: 'process_termination_watchlist', columns: WATCHLIST_COLUMNS, rows: data.watchlist },
    timeTable(data.clock ?? systemClock),
    processesTable(data.processes ?? []),
    extensionsTable(VERSION),
  ]);
}

/** What running needs of a pack: a definition (Pack) or an osquery pack file both give it. */
export interface RunnablePack {
  readonly discovery: readonly string[];
  readonly queries: ReadonlyArray<{ name: string; sql: string; techniques: readonly string[] }>;
}

/** One query's flagged rows. */
export interface QueryResult {
  readonly name: string;
  readonly techniques: readonly string[];
  readonly rows: ResultRow[];
}

/**
 * Runs every query of the pack, in pack order, after its discovery queries (a discovery query
 * with no rows skips the whole pack, as osqueryd does: the result is then empty).
 */
export function runPack(engine: SqlEngine, pack: RunnablePack): QueryResult[] {
  for (const sql of pack.discovery) if (engine.all(sql).length === 0) return [];
  return pack.queries.map((q) => ({
    name: q.name,
    techniques: q.techniques,
    rows: engine.all(q.sql),
  }));
}

/**
 * {@link runPack} with a time limit: the discovery queries, then the pack's queries, each batch
 * in a child process stopped after `timeoutMs` (see allWithin). Rejects statements that write.
 */
export async function runPackWithin(
  engine: SqlEngine,
  pack: RunnablePack,
  timeoutMs: number,
): Promise<QueryResult[]> {
  const found = await allWithin(engine, pack.discovery, timeoutMs);
  if (found.some((rows) => rows.length === 0)) return [];
  const results = await allWithin(
    engine,
    pack.queries.map((q) => q.sql),
    timeoutMs,
  );
  return pack.queries.map((q, i) => ({
    name: q.name,
    techniques: q.techniques,
    rows: results[i] ?? [],
  }));
}

/**
 * Compiles every query, policy and discovery statement of the pack against empty tables of the
 * right shape. Returns one message per statement SQLite refuses; empty when all compile.
 */
export function checkPackSql(pack: Pack): string[] {
  const engine = createPackEngine({ terminations: [], watchlist: [] });
  const statements: Array<[string, string]> = [
    ...pack.discovery.map((sql, i): [string, string] => [`discovery[${i}]`, sql]),
    ...pack.queries.map((q): [string, string] => [q.name, q.sql]),
    ...pack.queries.flatMap((q): Array<[string, string]> =>
      q.policy ? [[`${q.name} (policy)`, policySql(q)]] : [],
    ),
  ];
  const problems: string[] = [];
  for (const [name, sql] of statements) {
    try {
      engine.check(sql);
    } catch (err) {
      problems.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  engine.close();
  return problems;
}
