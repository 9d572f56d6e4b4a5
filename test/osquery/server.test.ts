import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log';
import { DEFAULT_LIMITS } from '../../src/osquery/connection';
import { ExtensionServer } from '../../src/osquery/server';
import { ExtensionProcessor, toStatus } from '../../src/osquery/thrift';

// A ping request in TBinaryProtocol (strict): version|CALL, name "ping", seqid, empty struct.
function pingFrame(seqid: number): Buffer {
  const name = Buffer.from('ping');
  const b = Buffer.alloc(4 + 4 + name.length + 4 + 1);
  b.writeUInt32BE(0x80010001, 0);
  b.writeInt32BE(name.length, 4);
  name.copy(b, 8);
  b.writeInt32BE(seqid, 8 + name.length);
  b.writeUInt8(0, 12 + name.length);
  return b;
}

let dir = '';
let path = '';
let server: ExtensionServer;

beforeAll(async () => {
  dir = mkdtempSync('/tmp/ptsrv-');
  path = join(dir, 'em.1');
  const handler = {
    ping: () => toStatus(0, 'OK'),
    call: (_r: string, _i: string, _q: Record<string, string>) =>
      Promise.reject(new Error('unused')),
    shutdown: () => undefined,
  };
  server = new ExtensionServer(new ExtensionProcessor(handler), {
    logger: silentLogger,
    limits: { ...DEFAULT_LIMITS, maxMessageBytes: 64 * 1024, maxIncompleteReads: 8 },
  });
  await server.listen(path);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path, () => resolve(s));
    s.on('error', reject);
  });
}

function reply(s: Socket): Promise<Buffer> {
  return new Promise((resolve) => s.once('data', resolve));
}

function closed(s: Socket): Promise<void> {
  return new Promise((resolve) => s.once('close', () => resolve()));
}

describe('ExtensionServer', () => {
  it('creates its socket with mode 0600', () => {
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('answers pipelined pings on one connection', async () => {
    const s = await open();
    const got: Buffer[] = [];
    const done = new Promise<void>((resolve) =>
      s.on('data', (d: Buffer) => {
        got.push(d);
        if (Buffer.concat(got).includes(Buffer.from('ping'), 30)) resolve();
      }),
    );
    s.write(Buffer.concat([pingFrame(1), pingFrame(2)]));
    await done;
    s.destroy();
  });

  it('drops a connection that declares a string longer than the limit', async () => {
    const s = await open();
    const head = Buffer.alloc(8);
    head.writeUInt32BE(0x80010001, 0);
    head.writeInt32BE(0x7fffffff, 4);
    const gone = closed(s);
    s.write(head);
    s.write(Buffer.alloc(70 * 1024, 0x41));
    await gone;
  });

  it('drops a connection that sends garbage, and still serves others', async () => {
    const bad = await open();
    const gone = closed(bad);
    bad.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await gone;
    const good = await open();
    good.write(pingFrame(3));
    expect((await reply(good)).length).toBeGreaterThan(0);
    good.destroy();
  });

  it('drops a request trickled in too many pieces', async () => {
    const s = await open();
    const gone = closed(s);
    const frame = pingFrame(4);
    for (let i = 0; i < 12; i++) {
      s.write(frame.subarray(i, i + 1));
      await new Promise((r) => setTimeout(r, 5));
    }
    await gone;
  });
});
