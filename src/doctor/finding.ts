/**
 * One result of a `doctor` check. `fail` blocks operation (doctor exits non-zero); `warn`
 * degrades it; `fix` is the exact command or step that resolves the finding.
 */
export interface Finding {
  readonly check: string;
  readonly status: 'ok' | 'warn' | 'fail';
  readonly detail: string;
  readonly fix?: string;
}

/** A group of checks for one concern (audit, ebpf, audisp, permissions, ...). */
export type Check = () => Promise<Finding[]>;
