import { dirname } from 'node:path';
import { isCode } from '../../../follow/log-family';

/**
 * The error to show when the audit log cannot be opened: one line saying what failed and how
 * to fix it. Errors other than a missing file or missing rights are returned unchanged.
 */
export function auditLogAccessError(err: unknown, path: string): Error {
  if (isCode(err, 'EACCES') || isCode(err, 'EPERM')) {
    return new Error(
      `cannot read the audit log ${path}: permission denied; run the extension as root, or add ` +
        `its user to the group that owns ${dirname(path)} (log_group in /etc/audit/auditd.conf, ` +
        `then restart auditd)`,
    );
  }
  if (isCode(err, 'ENOENT')) {
    return new Error(
      `the audit log ${path} does not exist; start auditd (log_file in /etc/audit/auditd.conf ` +
        `says where it writes) or pass --audit-log PATH`,
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}
