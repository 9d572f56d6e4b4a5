import { TECHNIQUES } from '../attack/techniques';
import type { ColumnSpec } from '../model/columns';
import type { TablePlugin, WireRow } from './table';

/** Columns of `process_termination_techniques`, in table order. */
export const TECHNIQUE_COLUMNS: readonly ColumnSpec[] = [
  {
    name: 'technique_id',
    type: 'TEXT',
    description: 'ATT&CK technique id as of v18, e.g. T1562.001',
  },
  { name: 'technique', type: 'TEXT', description: 'Technique name' },
  { name: 'tactic', type: 'TEXT', description: 'Tactic as of ATT&CK v18' },
  { name: 'matrix', type: 'TEXT', description: 'enterprise or mobile' },
  {
    name: 'platforms',
    type: 'TEXT',
    description: 'ATT&CK platforms; says so when osquery cannot run there',
  },
  { name: 'url', type: 'TEXT', description: 'The technique page on attack.mitre.org' },
  {
    name: 'v19_id',
    type: 'TEXT',
    description: 'The id in ATT&CK v19 (T1685 for T1562 and T1562.001)',
  },
  {
    name: 'v19_tactic',
    type: 'TEXT',
    description: 'The tactic in ATT&CK v19 (Defense Impairment where v19 moved it)',
  },
  {
    name: 'description',
    type: 'TEXT',
    description: 'What this technique means for process terminations',
  },
];

/**
 * `process_termination_techniques`: one row per ATT&CK technique that Process Termination
 * events detect. Static data, so constraints are left to osquery.
 */
export function createTechniquesTable(): TablePlugin {
  const rows: WireRow[] = TECHNIQUES.map((t) => ({ ...t }));
  return {
    name: 'process_termination_techniques',
    columns: TECHNIQUE_COLUMNS,
    generate: () => rows.map((r) => ({ ...r })),
  };
}
