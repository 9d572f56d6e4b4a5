import type { ExtensionOptions } from '../../../config/options';
import type { Logger } from '../../../log';
import type { Clock } from '../../../model/clock';
import { defaultStateDir } from '../../../state/state-dir';
import { AuditLogSource } from './audit-log-source';

/** The audit_log source for the extension's options (`--audit-log`, `--state-dir`, `--retention`). */
export function createAuditLogSource(
  options: Pick<ExtensionOptions, 'auditLog' | 'stateDir' | 'retention'>,
  deps: { logger: Logger; clock: Clock },
): AuditLogSource {
  return new AuditLogSource({
    path: options.auditLog,
    stateDir: options.stateDir ?? defaultStateDir(),
    stateDirOptional: options.stateDir === undefined,
    retentionSeconds: options.retention,
    logger: deps.logger,
    clock: deps.clock,
  });
}
