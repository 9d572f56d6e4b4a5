// `msg=audit(<seconds>.<milliseconds>:<serial>)`, as every audit record carries it.
const STAMP = /msg=audit\((\d+)\.\d+:\d+\)/;

/** The event time of an audit log line, unix seconds, or null when it has none. */
export function auditLineTime(line: string): number | null {
  const m = STAMP.exec(line);
  return m ? Number(m[1]) : null;
}
