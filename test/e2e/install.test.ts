import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Drives scripts/install.sh and uninstall.sh into temporary roots. The binary installed is a
// stand-in .ext that runs the built CLI (run `npm run build` first), so this file needs no
// `npm run package`; test/e2e/package.test.ts covers the real single-file binary.
const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'build/src/cli/main.js');
const DEST = '/usr/local/lib/osquery/extensions/process_terminations.ext';
const LOAD = '/etc/osquery/extensions.load';
const RULES = '/etc/audit/rules.d/process-terminations.rules';

// Worked out from the brief's rule set: per arch one exit rule and one signal rule.
const EXPECTED_RULES = ['b64', 'b32'].flatMap((a) => [
  `-a always,exit -F arch=${a} -S exit,exit_group -k process_terminations`,
  `-a always,exit -F arch=${a} -S kill,tkill,tgkill,rt_sigqueueinfo,rt_tgsigqueueinfo,pidfd_send_signal -k process_terminations`,
]);

let work: string;
let ext: string;

function sh(script: string, args: string[]) {
  const res = spawnSync('sh', [path.join(REPO, 'scripts', script), ...args], { encoding: 'utf8' });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

function freshRoot(): string {
  return mkdtempSync(path.join(work, 'root-'));
}

const mode = (p: string) => statSync(p).mode & 0o7777;

beforeAll(() => {
  expect(existsSync(CLI), 'run `npm run build` before the e2e tests').toBe(true);
  work = mkdtempSync(path.join(os.tmpdir(), 'pt-install-'));
  mkdirSync(path.join(work, 'src'));
  ext = path.join(work, 'src', 'process_terminations.ext');
  writeFileSync(
    ext,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`,
  );
  chmodSync(ext, 0o755);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('install.sh --dry-run', () => {
  it('says what it would do and changes nothing', () => {
    const root = freshRoot();
    const r = sh('install.sh', ['--root', root, '--ext', ext, '--arch', 'b64,b32', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`would run: cp ${ext} ${root}${DEST}.new`);
    expect(r.out).toContain(`would append to ${LOAD}: ${DEST}`);
    expect(r.out).toContain(`would write ${RULES}:`);
    for (const rule of EXPECTED_RULES) expect(r.out).toContain(`    ${rule}`);
    expect(r.out).toContain('--extensions_require=process_terminations');
    expect(execFileSync('find', [root, '-mindepth', '1'], { encoding: 'utf8' })).toBe('');
  });
});

describe('install.sh into a temporary root', () => {
  let root: string;
  beforeAll(() => {
    root = freshRoot();
  });

  it('installs the binary, the autoload line and the rules with safe modes', () => {
    const r = sh('install.sh', ['--root', root, '--ext', ext, '--arch', 'b64,b32']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(root + DEST)).toEqual(readFileSync(ext));
    expect(mode(root + DEST)).toBe(0o755);
    expect(mode(path.dirname(root + DEST))).toBe(0o755);
    expect(statSync(root + DEST).uid).toBe(0);
    expect(readFileSync(root + LOAD, 'utf8')).toBe(`${DEST}\n`);
    const rules = readFileSync(root + RULES, 'utf8').split('\n');
    expect(rules.filter((l) => l.startsWith('-a'))).toEqual(EXPECTED_RULES);
    expect(mode(root + RULES)).toBe(0o640);
    expect(r.out).toContain('--extensions_autoload=/etc/osquery/extensions.load');
    expect(r.out).toContain('--extensions_timeout=10');
  });

  it('changes nothing on a second run', () => {
    const before = readFileSync(root + LOAD, 'utf8');
    const r = sh('install.sh', ['--root', root, '--ext', ext, '--arch', 'b64,b32']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`up to date: ${DEST}`);
    expect(r.out).toContain(`already listed in ${LOAD}`);
    expect(r.out).toContain(`up to date: ${RULES}`);
    expect(readFileSync(root + LOAD, 'utf8')).toBe(before);
  });

  it('uninstalls, twice without error', () => {
    const r = sh('uninstall.sh', ['--root', root]);
    expect(r.code).toBe(0);
    expect(existsSync(root + DEST)).toBe(false);
    expect(existsSync(root + RULES)).toBe(false);
    expect(readFileSync(root + LOAD, 'utf8')).toBe('');
    const again = sh('uninstall.sh', ['--root', root]);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`not installed: ${DEST}`);
  });
});

describe('install.sh with an existing autoload file', () => {
  it('keeps other entries and adds ours on its own line', () => {
    const root = freshRoot();
    mkdirSync(path.dirname(root + LOAD), { recursive: true });
    writeFileSync(root + LOAD, '/opt/other/other.ext'); // no final newline
    expect(sh('install.sh', ['--root', root, '--ext', ext]).code).toBe(0);
    expect(readFileSync(root + LOAD, 'utf8')).toBe(`/opt/other/other.ext\n${DEST}\n`);
    expect(sh('uninstall.sh', ['--root', root]).code).toBe(0);
    expect(readFileSync(root + LOAD, 'utf8')).toBe('/opt/other/other.ext\n');
  });
});

describe('install.sh errors', () => {
  it.each([
    [
      'a missing --root',
      ['--root', '/nonexistent/pt-root'],
      '--root /nonexistent/pt-root is not a directory',
    ],
    ['a relative --dest', ['--dest', 'relative/dir'], '--dest must be an absolute path'],
    ['an unknown option', ['--frobnicate'], "unknown option '--frobnicate'"],
    ['an option without its value', ['--root'], '--root needs a value'],
  ])('rejects %s', (_name, args, message) => {
    const r = sh('install.sh', ['--ext', ext, ...args]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });

  it('explains how to get the binary when --ext is missing', () => {
    const r = sh('install.sh', ['--root', freshRoot(), '--ext', path.join(work, 'none.ext')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('npm run package');
  });
});
