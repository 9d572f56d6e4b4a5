// Builds dist/process_terminations.ext (dist/process_terminations.exe on Windows): one file that
// runs with no Node.js or node_modules beside it, using Node's single executable application
// (SEA) support. Steps: bundle src/cli/main.ts into one CommonJS file with esbuild, turn it into
// a SEA blob with `node --experimental-sea-config`, copy the running node binary, and inject the
// blob with postject. Run with `npm run package` on the platform you build for; docs/deploy.md
// has the Windows and macOS notes. Usage: node scripts/package.mjs [--out FILE]
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

/** The sentinel postject flips in the node binary so it runs the injected blob (Node's docs). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Native addons cannot live inside a SEA; the commands needing them fail with this message. */
const NATIVE_STUB = `
const message = 'better-sqlite3 is a native addon that the single-file extension does not carry: ' +
  'run query and pack run from a clone of the project after npm install and npm run build ' +
  '(node build/src/cli/main.js query ...), where node_modules/better-sqlite3 is present';
function unavailable() { throw new Error(message); }
module.exports = unavailable;
module.exports.default = unavailable;
`;

/** ws tries these optional addons inside try/catch; failing at load makes it use plain JS. */
const OPTIONAL_STUB = "throw new Error('optional native addon left out of the single-file build');";

const stubNative = {
  name: 'stub-native-addons',
  setup(b) {
    b.onResolve({ filter: /^(better-sqlite3|bufferutil|utf-8-validate)$/ }, (args) => ({
      path: args.path,
      namespace: 'stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({
      contents: args.path === 'better-sqlite3' ? NATIVE_STUB : OPTIONAL_STUB,
      loader: 'js',
    }));
  },
};

function outName() {
  const flag = process.argv.indexOf('--out');
  if (flag > 0 && process.argv[flag + 1]) return path.resolve(process.argv[flag + 1]);
  const ext = process.platform === 'win32' ? 'exe' : 'ext';
  return path.resolve('dist', `process_terminations.${ext}`);
}

async function bundle(work) {
  const outfile = path.join(work, 'main.cjs');
  await build({
    entryPoints: ['src/cli/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    plugins: [stubNative],
    logLevel: 'warning',
    // The generated Thrift code repeats `case 0:` in its switches; harmless, and not ours.
    logOverride: { 'duplicate-case': 'silent' },
    legalComments: 'inline',
  });
  // The SEA runs the script inside a function wrapper, where a `#!` line is a syntax error.
  const code = readFileSync(outfile, 'utf8').replace(/^#![^\n]*\n/, '');
  writeFileSync(outfile, code);
  return outfile;
}

function seaBlob(work, main) {
  const blob = path.join(work, 'sea-prep.blob');
  const config = path.join(work, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });
  return blob;
}

function inject(out, blob) {
  rmSync(out, { force: true });
  copyFileSync(process.execPath, out);
  chmodSync(out, 0o755);
  const mac = process.platform === 'darwin';
  // macOS: the copied binary's signature breaks on injection; remove it first, re-sign after.
  if (mac) execFileSync('codesign', ['--remove-signature', out], { stdio: 'inherit' });
  const args = [out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE];
  if (mac) args.push('--macho-segment-name', 'NODE_SEA');
  execFileSync(process.execPath, [require.resolve('postject/dist/cli.js'), ...args], {
    stdio: 'inherit',
  });
  if (mac) execFileSync('codesign', ['--sign', '-', out], { stdio: 'inherit' });
}

async function main() {
  const out = outName();
  const work = path.resolve('dist', 'sea');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const main = await bundle(work);
  inject(out, seaBlob(work, main));
  // The rules file beside the binary comes from the binary itself: one source of truth.
  const rules = execFileSync(out, ['rules', '--arch', 'b64,b32'], { encoding: 'utf8' });
  writeFileSync(path.join(path.dirname(out), 'process-terminations.rules'), rules);
  const version = execFileSync(out, ['--version'], { encoding: 'utf8' }).trim();
  const mb = (statSync(out).size / 1e6).toFixed(1);
  process.stdout.write(
    `built ${path.relative(process.cwd(), out)} (version ${version}, ${mb} MB)\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`package: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
