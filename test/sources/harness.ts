import { EventBuffer } from '../../src/buffer/event-buffer';
import { systemClock } from '../../src/model/clock';
import { AuditLogSource } from '../../src/sources/linux/audit-log/audit-log-source';

/** An audit_log source on `path` feeding a buffer, with fast timers. */
export async function startSource(
  path: string,
  stateDir: string | null,
  limits = { retentionSeconds: 3600, maxEvents: 50_000 },
  idleMs = 50,
) {
  const buffer = new EventBuffer(limits, systemClock);
  const source = new AuditLogSource({
    path,
    stateDir,
    retentionSeconds: limits.retentionSeconds,
    pollMs: 25,
    idleMs,
  });
  await source.start((rows) => buffer.add(rows));
  await source.backlogRead();
  return { source, buffer };
}
