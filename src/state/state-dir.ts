import { chmod, lstat, mkdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { silentLogger, type Logger } from '../log';
import { removeStaleTemps } from './stale-temps';

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

const linkError = (dir: string) =>
  new StateDirError(
    `state directory ${dir} is a symbolic link; point --state-dir at a real directory`,
  );

/**
 * Creates the state directory (mode 0700, parents as needed) or checks an existing one: it must
 * be a real directory, not a symlink (a link could point checkpoint writes anywhere), and be
 * owned by the user running the extension. The path is normalised first (`dir/` is `dir`), and
 * only its last component must not be a link: links among the parents (such as /var on macOS)
 * are the system's layout. Tightens the mode to 0700 and removes temp files that interrupted
 * checkpoint writes left behind. Returns the normalised path.
 */
export async function prepareStateDir(dir: string, logger: Logger = silentLogger): Promise<string> {
  const path = resolve(dir);
  if ((await lstatOrNull(path))?.isSymbolicLink()) throw linkError(dir);
  await makeDir(path, dir);
  const st = await lstat(path);
  if (st.isSymbolicLink()) throw linkError(dir);
  if (!st.isDirectory()) throw notDirectory(dir);
  // A link swapped in for the last component between the checks above shows up here.
  const real = await realpath(path);
  if (real !== join(await realpath(dirname(path)), basename(path))) throw linkError(dir);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new StateDirError(
      `state directory ${dir} belongs to uid ${st.uid}, not to the running user (uid ${uid}); ` +
        `chown it or choose another --state-dir`,
    );
  }
  if ((st.mode & 0o777) !== 0o700) await chmod(path, 0o700);
  await removeStaleTemps(path, logger);
  return path;
}

function notDirectory(dir: string): StateDirError {
  return new StateDirError(
    `--state-dir ${dir} exists and is not a directory; remove it or choose another --state-dir`,
  );
}

async function makeDir(path: string, dir: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EEXIST') throw notDirectory(dir);
    if (code === 'ENOTDIR') {
      throw new StateDirError(`a parent of --state-dir ${dir} is a file, not a directory`);
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new StateDirError(`cannot create --state-dir ${dir}: ${reason}`);
  }
}

async function lstatOrNull(path: string) {
  try {
    return await lstat(path);
  } catch {
    return null;
  }
}
