import { AuditPipeline } from '../audit/pipeline';
import type { Termination } from '../model/termination';
import type { FormatReadOptions, ReadSummary, ReplayFormat } from './formats';
import type { ReplayInput } from './input';
import { CHUNK_BYTES, MAX_LINE_BYTES, scanLines } from './lines';

/** Non-empty, non-comment lines of the head looked at by detection. */
const DETECT_LINES = 10;

/** An audit record as auditd or `ausearch --raw` writes it (syslog prefixes are not tried). */
const AUDIT_LINE = /^(?:node=\S+ )?type=\S+ msg=audit\(\d+\.\d+:\d+\)/;

/**
 * Linux audit logs (auditd's log file, `ausearch --raw` output, audisp lines), one pipeline
 * per file: an event split across two files (log rotation) is completed at the end of the
 * first. Detected when at least half of the first {@link DETECT_LINES} non-empty, non-comment
 * lines of the head are audit records, so a stray first line does not hide a log.
 */
export const auditFormat: ReplayFormat = {
  name: 'audit',
  description: 'Linux audit log (auditd log file, ausearch --raw)',
  detect(head: string): boolean {
    let seen = 0;
    let audit = 0;
    for (const raw of head.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      if (AUDIT_LINE.test(line)) audit++;
      if (++seen === DETECT_LINES) break;
    }
    return audit > 0 && audit * 2 >= seen;
  },
  read: readAudit,
  readBatches: readAuditBatches,
};

async function* readAudit(
  input: ReplayInput,
  options: FormatReadOptions,
): AsyncGenerator<Termination, ReadSummary> {
  const batches = readAuditBatches(input, options);
  for (;;) {
    const next = await batches.next();
    if (next.done === true) return next.value;
    yield* next.value;
  }
}

async function* readAuditBatches(
  input: ReplayInput,
  options: FormatReadOptions,
): AsyncGenerator<Termination[], ReadSummary> {
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
  // ASCII lines (nearly all) go in as bytes: most records are never decoded to text.
  const onAscii = (buf: Buffer, start: number, end: number, offset: number): void => {
    const out = pipeline.pushBytes(buf, start, end, offset);
    for (let i = 0; i < out.length; i++) rows.push(out[i] as Termination);
  };
  const onLong = (start: string, offset: number): void => pipeline.skipLongLine(start, offset);
  // Lines are pushed synchronously a chunk at a time; rows are handed on between chunks.
  const chunks = scanLines(input, onLine, CHUNK_BYTES, onLong, MAX_LINE_BYTES, onAscii);
  while (!(await chunks.next()).done) {
    if (rows.length === 0) continue;
    const batch = rows;
    rows = [];
    yield batch;
  }
  const last = pipeline.end();
  if (last.length > 0) yield last;
  const stats = pipeline.stats;
  options.logger.debug('replayed audit file', { file: input.file, ...stats });
  return { recognised: stats.records, parseErrors: stats.parseErrors };
}
