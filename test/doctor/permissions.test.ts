import { describe, expect, it } from 'vitest';
import type { FileStat } from '../../src/doctor/host';
import { checkAutoload, checkExtensionPermissions } from '../../src/doctor/permissions';
import { fakeHost } from './fake-host';

const DIR = '/usr/local/lib/osquery/extensions';
const EXT = `${DIR}/process_terminations.ext`;
const FILE = 0o100000;
const DIRBITS = 0o040000;

function host(
  ext: Partial<FileStat> | null,
  dir: Partial<FileStat> = { mode: DIRBITS | 0o755 },
  uid = 0,
) {
  const stats: Record<string, Partial<FileStat>> = { [DIR]: { isDirectory: true, ...dir } };
  if (ext) stats[EXT] = ext;
  return fakeHost({ stats, uid });
}

// Expected outcomes follow osquery's safePermissions (POSIX): sticky folder, owner, owner-exec
// and other-write block; group write passes osquery but is flagged here.
describe('checkExtensionPermissions', () => {
  it.each([
    ['root-owned 0755', { mode: FILE | 0o755 }, undefined, 0, ['ok']],
    ['missing', null, undefined, 0, ['fail']],
    ['world-writable 0757', { mode: FILE | 0o757 }, undefined, 0, ['fail']],
    ['group-writable 0775', { mode: FILE | 0o775 }, undefined, 0, ['warn']],
    ['owned by another user', { mode: FILE | 0o755, uid: 1000 }, undefined, 0, ['fail']],
    ['owned by the running user', { mode: FILE | 0o755, uid: 1000 }, undefined, 1000, ['ok']],
    ['not executable 0644', { mode: FILE | 0o644 }, undefined, 0, ['fail']],
    ['in a sticky folder', { mode: FILE | 0o755 }, { mode: DIRBITS | 0o1777 }, 0, ['fail']],
    ['folder writable by others', { mode: FILE | 0o755 }, { mode: DIRBITS | 0o757 }, 0, ['warn']],
    ['a directory', { mode: DIRBITS | 0o755, isDirectory: true }, undefined, 0, ['fail']],
  ] as const)('%s', async (_name, ext, dir, uid, statuses) => {
    const findings = await checkExtensionPermissions(host(ext, dir, uid), EXT);
    expect(findings.map((f) => f.status)).toEqual(statuses);
  });

  it('gives the chown and chmod that fix every blocker at once', async () => {
    const [f] = await checkExtensionPermissions(host({ mode: FILE | 0o646, uid: 1000 }), EXT);
    expect(f?.detail).toContain('owned by uid 1000');
    expect(f?.fix).toBe(`chown root:root ${EXT} && chmod 0755 ${EXT} && chmod o-w ${EXT}`);
  });

  it('refuses a name not ending in .ext', async () => {
    const other = `${DIR}/process_terminations`;
    const h = fakeHost({
      stats: { [DIR]: { mode: DIRBITS | 0o755 }, [other]: { mode: FILE | 0o755 } },
    });
    const [f] = await checkExtensionPermissions(h, other);
    expect(f?.status).toBe('fail');
    expect(f?.detail).toContain('.ext');
  });
});

describe('checkAutoload', () => {
  const LOAD = '/etc/osquery/extensions.load';
  it.each([
    ['listed', `/opt/other.ext\n${EXT}\n`, 'ok'],
    ['listed with blanks around', `  ${EXT}  \n`, 'ok'],
    ['its folder listed', `${DIR}/\n`, 'ok'],
    ['commented out with #', `# ${EXT}\n`, 'warn'],
    ['commented out with ;', `;${EXT}\n`, 'warn'],
    ['not listed', '/opt/other.ext\n', 'warn'],
  ])('%s', async (_name, text, status) => {
    const [f] = await checkAutoload(fakeHost({ files: { [LOAD]: text } }), LOAD, EXT);
    expect(f?.status).toBe(status);
  });

  it('warns when the file is missing', async () => {
    const [f] = await checkAutoload(fakeHost({}), LOAD, EXT);
    expect(f?.status).toBe('warn');
    expect(f?.fix).toContain(`>> ${LOAD}`);
  });
});
