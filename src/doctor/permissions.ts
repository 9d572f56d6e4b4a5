import path from 'node:path';
import type { Finding } from './finding';
import type { Host } from './host';

const CHECK = 'extension.permissions';

/**
 * Checks an extension binary the way osqueryd does before it autoloads or launches one
 * (osquery `safePermissions` in filesystem.cpp and `isFileSafe` in extensions.cpp, POSIX):
 * the file exists and is not a directory; its folder is not sticky (/tmp-like); it is owned
 * by root or the uid osqueryd runs as; the owner may execute it; others may not write it;
 * on Linux and macOS the name ends in `.ext`. osqueryd skips all but the existence check with
 * --allow_unsafe. `fromSource` (doctor run from a clone, no --ext given): a missing file only
 * warns, since nothing is installed yet. Group write passes osquery's test but is reported as a warning, as is a
 * folder others can write, because either lets a non-root user replace code osqueryd runs.
 */
export async function checkExtensionPermissions(
  host: Host,
  ext: string,
  fromSource = false,
): Promise<Finding[]> {
  const st = await host.stat(ext);
  if (!st && fromSource) {
    const detail = `no installed extension at ${ext} (doctor runs from a clone; nothing to check)`;
    const fix =
      'to check the packaged file: `npm run package`, then `doctor --ext dist/process_terminations.ext`';
    return [{ check: CHECK, status: 'warn', detail, fix }];
  }
  if (!st) {
    const fix = 'build it with `npm run package`, then install it with `sudo scripts/install.sh`';
    return [{ check: CHECK, status: 'fail', detail: `${ext} does not exist`, fix }];
  }
  const dir = path.dirname(ext);
  const dirStat = await host.stat(dir);
  const blockers = blockingProblems(ext, st, dirStat, host.uid());
  if (blockers.length > 0) {
    const detail = `osqueryd will refuse ${ext}: ${blockers.map((b) => b.what).join('; ')}`;
    return [{ check: CHECK, status: 'fail', detail, fix: blockers.map((b) => b.fix).join(' && ') }];
  }
  const warnings: Finding[] = [];
  if (st.mode & 0o020) {
    const detail = `${ext} is group-writable: osqueryd accepts it, but group members could replace it`;
    warnings.push({ check: CHECK, status: 'warn', detail, fix: `chmod g-w ${ext}` });
  }
  if (dirStat && dirStat.mode & 0o022) {
    const detail = `${dir} is writable by group or others: they could swap the binary`;
    warnings.push({ check: CHECK, status: 'warn', detail, fix: `chmod go-w ${dir}` });
  }
  if (warnings.length > 0) return warnings;
  return [{ check: CHECK, status: 'ok', detail: `${ext} passes osqueryd's permission checks` }];
}

interface Problem {
  readonly what: string;
  readonly fix: string;
}

function blockingProblems(
  ext: string,
  st: { mode: number; uid: number; isDirectory: boolean },
  dirStat: { mode: number } | null,
  uid: number,
): Problem[] {
  const dir = path.dirname(ext);
  const out: Problem[] = [];
  if (st.isDirectory)
    out.push({ what: 'it is a directory', fix: `point at the .ext file inside ${dir}` });
  if (!ext.endsWith('.ext'))
    out.push({ what: 'the name does not end in .ext', fix: `rename it to ${ext}.ext` });
  if (!dirStat) out.push({ what: `${dir} cannot be read`, fix: `chmod 0755 ${dir}` });
  else if (dirStat.mode & 0o1000) {
    out.push({
      what: `${dir} has the sticky bit (a /tmp-like folder)`,
      fix: 'install into /usr/local/lib/osquery/extensions',
    });
  }
  if (st.uid !== 0 && st.uid !== uid) {
    out.push({ what: `owned by uid ${st.uid}, not root`, fix: `chown root:root ${ext}` });
  }
  if (!(st.mode & 0o100))
    out.push({ what: 'the owner cannot execute it', fix: `chmod 0755 ${ext}` });
  if (st.mode & 0o002) out.push({ what: 'others can write it', fix: `chmod o-w ${ext}` });
  return out;
}

/**
 * Whether the autoload file lists the extension. osqueryd reads it line by line, trims each
 * line and skips empty ones and those starting with `#` or `;`; a line naming a folder loads
 * every file in it.
 */
export async function checkAutoload(host: Host, loadFile: string, ext: string): Promise<Finding[]> {
  const check = 'extension.autoload';
  const text = await host.readFile(loadFile);
  const fix = `echo ${ext} >> ${loadFile} (scripts/install.sh does it)`;
  if (text === null) return [{ check, status: 'warn', detail: `${loadFile} does not exist`, fix }];
  const entries = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#') && !l.startsWith(';'));
  const listed = entries.some((e) => e === ext || e.replace(/\/+$/, '') === path.dirname(ext));
  if (listed) return [{ check, status: 'ok', detail: `${loadFile} lists ${ext}` }];
  return [{ check, status: 'warn', detail: `${loadFile} does not list ${ext}`, fix }];
}
