import { chmod, lstat, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where checkpoints live when `--state-dir` is not given. */
export function defaultStateDir(
  env: NodeJS.ProcessEnv = process.env,
  isRootOnLinux = process.platform === 'linux' && process.getuid?.() === 0,
): string {
  if (isRootOnLinux) return '/var/lib/process_terminations';
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'process_terminations');
}

/** The state directory is unusable; the message says why and what to do. */
export class StateDirError extends Error {
  override readonly name = 'StateDirError';
}

/**
 * Creates the state directory (mode 0700, parents as needed) or checks an existing one: it must
 * be a real directory, not a symlink (a link could point checkpoint writes anywhere), and be
 * owned by the user running the extension. Tightens its mode to 0700. Returns the path.
 */
export async function prepareStateDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (st.isSymbolicLink()) {
    throw new StateDirError(
      `state directory ${dir} is a symbolic link; point --state-dir at a real directory`,
    );
  }
  if (!st.isDirectory()) {
    throw new StateDirError(
      `state directory ${dir} is not a directory; choose another --state-dir`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new StateDirError(
      `state directory ${dir} belongs to uid ${st.uid}, not to the running user (uid ${uid}); ` +
        `chown it or choose another --state-dir`,
    );
  }
  if ((st.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
  return dir;
}
