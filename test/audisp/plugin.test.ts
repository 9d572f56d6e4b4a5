import { describe, expect, it } from 'vitest';
import { checkAudisp, type AudispHost } from '../../src/doctor/audisp';
import { parseAfUnixPlugin, pluginProblems } from '../../src/sources/linux/audisp/plugin';

// The af_unix.conf Debian's auditd 3.0.9 ships (comments shortened), plugin off.
const DEBIAN = `
# This file controls the configuration of the
# af_unix socket plugin.

active = no
direction = out
path = builtin_af_unix
type = builtin 
args = 0640 /var/run/audispd_events
format = string
`;
const ACTIVE = DEBIAN.replace('active = no', 'active = yes');

describe('parseAfUnixPlugin', () => {
  it('reads the shipped file', () => {
    expect(parseAfUnixPlugin(DEBIAN)).toEqual({
      active: false,
      direction: 'out',
      format: 'string',
      socket: '/var/run/audispd_events',
      mode: '0640',
    });
  });

  it('accepts no spaces around = and upper-case values, ignores trailing comments', () => {
    const p = parseAfUnixPlugin('active=YES # on\nargs=/run/x\nformat=binary');
    expect(p).toMatchObject({ active: true, socket: '/run/x', mode: null, format: 'binary' });
  });

  it.each([
    ['inactive', DEBIAN, '/var/run/audispd_events', ['not active']],
    ['active, right socket', ACTIVE, '/var/run/audispd_events', []],
    [
      'binary format',
      ACTIVE.replace('= string', '= binary'),
      '/var/run/audispd_events',
      ['binary'],
    ],
    ['other socket', ACTIVE, '/run/other', ['listens on /var/run/audispd_events']],
  ])('problems when %s', (_n, text, socket, expected) => {
    const problems = pluginProblems(parseAfUnixPlugin(text), socket);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(problems[i]).toContain(e));
  });
});

function host(files: Record<string, string>, socket: boolean, auditd: boolean): AudispHost {
  return {
    readFile: async (p) => files[p] ?? null,
    isSocket: async () => socket,
    auditdRunning: async () => auditd,
  };
}

describe('checkAudisp', () => {
  it('all ok when the plugin is active, auditd runs and the socket exists', async () => {
    const h = host({ '/etc/audit/plugins.d/af_unix.conf': ACTIVE }, true, true);
    const findings = await checkAudisp({ host: h });
    expect(findings.map((f) => [f.check, f.status])).toEqual([
      ['audisp.plugin', 'ok'],
      ['audisp.auditd', 'ok'],
      ['audisp.socket', 'ok'],
    ]);
  });

  it('an inactive plugin fails with the sed command for its file', async () => {
    const h = host({ '/etc/audit/plugins.d/af_unix.conf': DEBIAN }, false, true);
    const [plugin, , socket] = await checkAudisp({ host: h });
    expect(plugin).toMatchObject({ status: 'fail' });
    expect(plugin?.fix).toContain(
      "-e 's/^active *=.*/active = yes/' -e 's/^format *=.*/format = string/' /etc/audit/plugins.d/af_unix.conf && service auditd restart",
    );
    expect(socket).toMatchObject({ status: 'fail' });
  });

  it('finds the auditd 2.x location and reports a stopped auditd', async () => {
    const h = host({ '/etc/audisp/plugins.d/af_unix.conf': ACTIVE }, true, false);
    const [plugin, auditd] = await checkAudisp({ host: h });
    expect(plugin?.detail).toContain('/etc/audisp/plugins.d/af_unix.conf');
    expect(auditd).toMatchObject({ status: 'fail', fix: 'service auditd start' });
  });

  it('a socket mismatch suggests --audisp-socket', async () => {
    const h = host({ '/etc/audit/plugins.d/af_unix.conf': ACTIVE }, true, true);
    const [plugin] = await checkAudisp({ host: h, socketPath: '/run/mine' });
    expect(plugin?.fix).toContain('--audisp-socket');
  });

  it('no plugin file at all', async () => {
    const [plugin] = await checkAudisp({ host: host({}, false, true) });
    expect(plugin).toMatchObject({ status: 'fail' });
    expect(plugin?.fix).toContain('apt-get install auditd');
  });
});
