/**
 * The extension's Thrift endpoint under hostile and heavy clients: random frames, huge declared
 * lengths, clients that connect and say nothing, and 50 clients at once. Afterwards it must
 * still answer osqueryd (the Python stand-in) and a node-thrift client correctly.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import * as thrift from 'thrift';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtensionClient } from '../../src/osquery/thrift';
import {
  ensureBuilt,
  launchExtension,
  PYTHON,
  ROOT,
  type StandInControl,
} from '../helpers/osqueryd';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'osquery', 'kill-and-exit.log');
const hasPython = existsSync(PYTHON) && existsSync('/usr/bin/thrift');
/** Random frames per property run: enough to hit every type byte, cheap on 2 cores. */
const FUZZ_RUNS = 150;

let dir = '';
let standin: StandInControl;
let extPath = '';

beforeAll(async () => {
  if (!hasPython) return;
  ensureBuilt();
  dir = mkdtempSync('/tmp/ptfuzz-');
  copyFileSync(FIXTURE, join(dir, 'audit.log'));
  const args = ['--source', 'audit_log', '--audit-log', join(dir, 'audit.log')];
  standin = await launchExtension([...args, '--retention', '315360000'], { interval: 2 });
  extPath = await standin.extensionSocket();
});
afterAll(async () => {
  await standin?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(extPath, () => resolve(s));
    s.on('error', reject);
  });
}

// Sends bytes, then waits until the server closes or `ms` passes; never fails on errors.
async function poke(bytes: Uint8Array, ms: number): Promise<'closed' | 'open'> {
  const s = await open();
  s.on('error', () => undefined);
  const closed = new Promise<'closed'>((r) => s.once('close', () => r('closed')));
  s.write(bytes);
  const outcome = await Promise.race([
    closed,
    new Promise<'open'>((r) => setTimeout(() => r('open'), ms)),
  ]);
  s.destroy();
  return outcome;
}

// A strict binary message header for `call` followed by `rest`.
function callHeader(rest: Buffer): Buffer {
  const name = Buffer.from('call');
  const head = Buffer.alloc(12 + name.length);
  head.writeUInt32BE(0x80010001, 0);
  head.writeInt32BE(name.length, 4);
  name.copy(head, 8);
  head.writeInt32BE(1, 8 + name.length);
  return Buffer.concat([head, rest]);
}

async function nodeGenerate(): Promise<{ code: number; pids: string[] }> {
  const lib = thrift as unknown as { createUDSConnection(p: string, o: object): thrift.Connection };
  const conn = lib.createUDSConnection(extPath, {
    transport: thrift.TBufferedTransport,
    protocol: thrift.TBinaryProtocol,
  });
  conn.on('error', () => undefined);
  const client = thrift.createClient(ExtensionClient, conn) as ExtensionClient;
  try {
    const ping = await client.ping();
    expect(ping.code).toBe(0);
    const r = await client.call('table', 'process_terminations', {
      action: 'generate',
      context: '',
    });
    return { code: r.status.code, pids: r.response.map((row) => row.pid ?? '') };
  } finally {
    conn.end();
  }
}

describe.skipIf(!hasPython)('Thrift endpoint robustness', () => {
  it(`survives ${FUZZ_RUNS} random frames`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        await poke(bytes, 20);
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(await nodeGenerate()).toEqual({ code: 0, pids: ['2287', '4079'] });
  });

  it('survives random frames behind a valid call header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (bytes) => {
        await poke(callHeader(Buffer.from(bytes)), 20);
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect((await nodeGenerate()).code).toBe(0);
  });

  it.each([
    ['a 2 GiB string', Buffer.from([0x0b, 0x00, 0x01, 0x7f, 0xff, 0xff, 0xff])],
    ['a 2^31-1 element map', Buffer.from([0x0d, 0x00, 0x03, 0x0b, 0x0b, 0x7f, 0xff, 0xff, 0xff])],
    ['a negative string length', Buffer.from([0x0b, 0x00, 0x01, 0xff, 0xff, 0xff, 0xfe])],
  ])('closes a connection declaring %s at once', async (_n, field) => {
    expect(await poke(callHeader(field), 2000)).toBe('closed');
  });

  it('closes a connection without a version header (a 1.2 GB method name otherwise)', async () => {
    expect(await poke(Buffer.from('GET / HTTP/1.1\r\n\r\n'), 2000)).toBe('closed');
  });

  it('serves 50 concurrent clients while 20 others connect and say nothing', async () => {
    const idle = await Promise.all(Array.from({ length: 20 }, () => open()));
    const results = await Promise.all(Array.from({ length: 50 }, () => nodeGenerate()));
    for (const r of results) expect(r).toEqual({ code: 0, pids: ['2287', '4079'] });
    for (const s of idle) s.destroy();
  });

  it('still answers osqueryd (the Python stand-in) correctly afterwards', async () => {
    const rows = await standin.generate('process_terminations', [
      { name: 'pid', op: 2, expr: '2287' },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'signal', signal_name: 'SIGUSR1', actor_name: 'bash' });
    expect(standin.stderr()).not.toMatch(/uncaught|unhandled/i);
  });
});
