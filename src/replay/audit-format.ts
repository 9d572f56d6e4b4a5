import { AuditPipeline } from '../audit/pipeline';
import type { Termination } from '../model/termination';
import type { FormatReadOptions, ReplayFormat } from './formats';
import { scanLines } from './lines';

/**
 * Linux audit logs (auditd's log file, `ausearch --raw` output, audisp lines), one pipeline
 * per file: an event split across two files (log rotation) is completed at the end of the
 * first. Detected when the first non-empty, non-comment line starts with `type=` or `node=`.
 */
export const auditFormat: ReplayFormat = {
  name: 'audit',
  description: 'Linux audit log (auditd log file, ausearch --raw)',
  detect(head: string): boolean {
    for (const raw of head.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      return line.startsWith('type=') || line.startsWith('node=');
    }
    return false;
  },
  read: readAudit,
};

async function* readAudit(file: string, options: FormatReadOptions): AsyncIterable<Termination> {
  const pipeline = new AuditPipeline({
    source: 'replay',
    logger: options.logger,
    ingestClock: options.ingestClock,
  });
  let rows: Termination[] = [];
  const onLine = (line: string, offset: number): void => {
    const out = pipeline.push(line, offset);
    for (let i = 0; i < out.length; i++) rows.push(out[i] as Termination);
  };
  // Lines are pushed synchronously a chunk at a time; rows are handed on between chunks.
  const chunks = scanLines(file, onLine);
  while (!(await chunks.next()).done) {
    const batch = rows;
    rows = [];
    yield* batch;
  }
  yield* pipeline.end();
  options.logger.debug('replayed audit file', { file, ...pipeline.stats });
}
