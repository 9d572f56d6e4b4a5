import { execFile } from 'node:child_process';
import { promises as fs, constants as fsConstants } from 'node:fs';
import os from 'node:os';

/** What a command printed and how it ended; `code` is null when it could not be started. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The parts of `fs.Stats` the checks read. */
export interface FileStat {
  readonly mode: number;
  readonly uid: number;
  readonly size: number;
  readonly isDirectory: boolean;
  readonly isFile: boolean;
}

/**
 * Everything `doctor` asks of the operating system, so unit tests can answer with a test
 * double. Methods never throw: a missing file is `null`, a missing command has `code: null`.
 */
export interface Host {
  run(command: string, args: readonly string[]): Promise<RunResult>;
  stat(path: string): Promise<FileStat | null>;
  readFile(path: string): Promise<string | null>;
  canRead(path: string): Promise<boolean>;
  /** The effective uid osqueryd compares the extension owner against (root in production). */
  uid(): number;
  /** `uname -m`. */
  machine(): string;
}

/** Commands get this long before they are killed; auditctl answers in milliseconds. */
const RUN_TIMEOUT_MS = 10_000;

/** The real host. Commands run without a shell, so no argument is ever interpreted. */
export const realHost: Host = {
  run(command, args) {
    return new Promise((resolve) => {
      execFile(
        command,
        [...args],
        { timeout: RUN_TIMEOUT_MS, encoding: 'utf8' },
        (err, stdout, stderr) => {
          if (err && typeof err.code !== 'number') {
            resolve({ code: null, stdout: '', stderr: err.message });
            return;
          }
          resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
        },
      );
    });
  },
  async stat(path) {
    try {
      const s = await fs.stat(path);
      return {
        mode: s.mode,
        uid: s.uid,
        size: s.size,
        isDirectory: s.isDirectory(),
        isFile: s.isFile(),
      };
    } catch {
      return null;
    }
  },
  async readFile(path) {
    try {
      return await fs.readFile(path, 'utf8');
    } catch {
      return null;
    }
  },
  async canRead(path) {
    try {
      await fs.access(path, fsConstants.R_OK);
      return true;
    } catch {
      return false;
    }
  },
  uid: () => (typeof process.getuid === 'function' ? process.getuid() : 0),
  machine: () => os.machine(),
};
