import type { ColumnSpec } from '../model/columns';
import { TERMINATION_COLUMNS } from '../model/termination-columns';
import { STATUS_COLUMNS } from '../tables/status';
import { TECHNIQUE_COLUMNS } from '../tables/techniques';
import { WATCHLIST_COLUMNS } from '../tables/watchlist';

/** Every table the extension serves, in the order the README documents them. */
export const DOCUMENTED_TABLES: ReadonlyArray<readonly [string, readonly ColumnSpec[]]> = [
  ['process_terminations', TERMINATION_COLUMNS],
  ['process_terminations_status', STATUS_COLUMNS],
  ['process_termination_techniques', TECHNIQUE_COLUMNS],
  ['process_termination_watchlist', WATCHLIST_COLUMNS],
];

/** The README's column reference: one Markdown table per osquery table. */
export function columnReference(): string {
  return DOCUMENTED_TABLES.map(([name, columns]) => {
    const rows = columns.map((c) => `| \`${c.name}\` | ${c.type} | ${c.description} |`);
    return [`### ${name}`, '', '| column | type | meaning |', '| --- | --- | --- |', ...rows].join(
      '\n',
    );
  }).join('\n\n');
}

/** Text with runs of spaces and of table-rule dashes folded, as Prettier pads Markdown tables. */
export function foldMarkdown(text: string): string {
  return text.replace(/-{3,}/g, '---').replace(/ {2,}/g, ' ');
}
