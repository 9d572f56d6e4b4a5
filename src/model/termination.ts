/**
 * The row every event source produces: one process exit, crash, signal sent to a process, or
 * service stop. Columns mean the same thing on every platform; a fact a source cannot know is
 * `null`, never guessed. `eid` is unique per event and stable across restarts and replays, so
 * the buffer can refuse duplicates.
 */
export type TerminationKind = 'exit' | 'signal' | 'crash' | 'service_stop';

export interface Termination {
  /** Event time, unix seconds, from the event itself (audit timestamp, UtcTime, ...). */
  time: number;
  /** When this extension read the event, unix seconds. Pack windows use this. */
  ingest_time: number;
  /** Stable unique event id, e.g. `audit:<node>:<sec.ms>:<serial>:<n>`. */
  eid: string;
  kind: TerminationKind;
  pid: number | null;
  path: string | null;
  name: string | null;
  cmdline: string | null;
  parent: number | null;
  uid: number | null;
  auid: number | null;
  user: string | null;
  exit_code: number | null;
  signal: number | null;
  signal_name: string | null;
  actor_pid: number | null;
  actor_path: string | null;
  actor_name: string | null;
  actor_uid: number | null;
  actor_auid: number | null;
  actor_user: string | null;
  service: string | null;
  syscall: string | null;
  success: number | null;
  process_guid: string | null;
  source: string;
}

/**
 * A Termination with every optional fact unset: sources set their facts on it. Written out in
 * full rather than spread, so every row shares one object shape (this is on the hot path).
 */
export function emptyTermination(
  base: Pick<Termination, 'time' | 'ingest_time' | 'eid' | 'kind' | 'source'>,
): Termination {
  return {
    time: base.time,
    ingest_time: base.ingest_time,
    eid: base.eid,
    kind: base.kind,
    pid: null,
    path: null,
    name: null,
    cmdline: null,
    parent: null,
    uid: null,
    auid: null,
    user: null,
    exit_code: null,
    signal: null,
    signal_name: null,
    actor_pid: null,
    actor_path: null,
    actor_name: null,
    actor_uid: null,
    actor_auid: null,
    actor_user: null,
    service: null,
    syscall: null,
    success: null,
    process_guid: null,
    source: base.source,
  };
}
