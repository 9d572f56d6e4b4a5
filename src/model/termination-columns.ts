import type { ColumnSpec } from './columns';
import type { Termination } from './termination';

type Spec = ColumnSpec & { readonly name: keyof Termination };

/**
 * The columns of `process_terminations`, in table order. The README's column reference is
 * generated from these descriptions (`npm run docs:columns`).
 */
export const TERMINATION_COLUMNS: readonly Spec[] = [
  {
    name: 'time',
    type: 'BIGINT',
    description: 'Event time, unix seconds, as the source recorded it',
  },
  {
    name: 'ingest_time',
    type: 'BIGINT',
    description: 'When the extension read the event, unix seconds; use it for time windows',
  },
  {
    name: 'eid',
    type: 'TEXT',
    description: 'Event id, unique per row and stable across restarts and replays',
  },
  {
    name: 'kind',
    type: 'TEXT',
    description: 'exit, signal (sent to the target), crash (core-dumping death) or service_stop',
  },
  {
    name: 'pid',
    type: 'BIGINT',
    description: 'Target process id: the process that ended or was signalled',
  },
  { name: 'path', type: 'TEXT', description: 'Target executable path, when known' },
  {
    name: 'name',
    type: 'TEXT',
    description: 'Target command name recorded with the event (audit comm/ocomm, image file name)',
  },
  {
    name: 'cmdline',
    type: 'TEXT',
    description:
      'Target command line, when known (audit PROCTITLE of the exiting process, eBPF exec)',
  },
  { name: 'parent', type: 'BIGINT', description: 'Target parent process id, when known' },
  { name: 'uid', type: 'BIGINT', description: 'Target user id (Linux, macOS)' },
  {
    name: 'auid',
    type: 'BIGINT',
    description: 'Target audit (login) user id; NULL when unset (4294967295)',
  },
  {
    name: 'user',
    type: 'TEXT',
    description: 'Target user name: audit ENRICHED UID, Windows user or SID, macOS user',
  },
  {
    name: 'exit_code',
    type: 'BIGINT',
    description:
      'Exit status for kind exit: exit(2) status, or the Windows exit/NTSTATUS code as an unsigned number',
  },
  {
    name: 'signal',
    type: 'INTEGER',
    description:
      'Signal number: the one sent (signal), or the one that ended the process (exit, crash)',
  },
  { name: 'signal_name', type: 'TEXT', description: 'Signal name such as SIGKILL' },
  {
    name: 'actor_pid',
    type: 'BIGINT',
    description:
      'Process that caused the event: the signal sender; for an exit, the exiting process itself',
  },
  { name: 'actor_path', type: 'TEXT', description: 'Actor executable path' },
  { name: 'actor_name', type: 'TEXT', description: 'Actor command name' },
  { name: 'actor_uid', type: 'BIGINT', description: 'Actor user id' },
  {
    name: 'actor_auid',
    type: 'BIGINT',
    description: 'Actor audit (login) user id; NULL when unset',
  },
  {
    name: 'actor_user',
    type: 'TEXT',
    description: 'Actor user name or SID (Windows Subject fields, macOS)',
  },
  { name: 'service', type: 'TEXT', description: 'Service or unit name for kind service_stop' },
  {
    name: 'syscall',
    type: 'TEXT',
    description: 'System call that produced the event (exit_group, kill, ...), Linux audit only',
  },
  {
    name: 'success',
    type: 'INTEGER',
    description: '1 when the call succeeded, 0 when it failed (e.g. a refused kill)',
  },
  { name: 'process_guid', type: 'TEXT', description: 'Sysmon ProcessGuid of the target (Windows)' },
  {
    name: 'source',
    type: 'TEXT',
    description:
      'Where the row came from: audit_log, audisp, ebpf, windows_security, windows_system, sysmon, eslogger',
  },
];
