/**
 * Per-connection limits of the extension's endpoint: backpressure against a client that
 * pipelines without reading, the timeout of an incomplete request, eviction of the longest
 * idle connection at the connection limit, and the warning for an oversized request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log';
import { DEFAULT_LIMITS, type ConnectionLimits } from '../../src/osquery/connection';
import { ExtensionServer } from '../../src/osquery/server';
import { ExtensionProcessor, toStatus } from '../../src/osquery/thrift';

/** Length of the message each ping answers with: every reply is this plus 35 bytes. */
const MESSAGE = 64 * 1024;
// Reply to ping (strict binary): 4 version|REPLY, 4+4 "ping", 4 seqid, 3 success field header,
// 3+4 code, 3+4+MESSAGE message, 1 stop of the status, 1 stop of the result.
const REPLY_BYTES = 35 + MESSAGE;

function pingFrame(seqid: number): Buffer {
  const b = Buffer.alloc(17);
  b.writeUInt32BE(0x80010001, 0);
  b.writeInt32BE(4, 4);
  b.write('ping', 8);
  b.writeInt32BE(seqid, 12);
  return b; // last byte 0: the empty args struct's stop
}

interface Warned {
  msg: string;
  fields?: Record<string, unknown>;
}

let dir = '';
let server: ExtensionServer | null = null;
let pings = 0;
const warnings: Warned[] = [];

async function start(limits: Partial<ConnectionLimits>, maxConnections = 16): Promise<string> {
  dir = mkdtempSync('/tmp/ptconn-');
  const path = join(dir, 'em.1');
  const handler = {
    ping: () => {
      pings++;
      return toStatus(0, 'x'.repeat(MESSAGE));
    },
    call: () => Promise.reject(new Error('unused')),
    shutdown: () => undefined,
  };
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (msg, fields) => warnings.push({ msg, fields }),
    error: () => undefined,
  };
  server = new ExtensionServer(new ExtensionProcessor(handler), {
    logger,
    limits: { ...DEFAULT_LIMITS, maxMessageBytes: 64 * 1024, ...limits },
    maxConnections,
  });
  await server.listen(path);
  return path;
}

afterEach(async () => {
  await server?.close();
  server = null;
  pings = 0;
  warnings.length = 0;
  rmSync(dir, { recursive: true, force: true });
});

function open(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path, () => resolve(s));
    s.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Reads `count` ping replies and returns their seqids in arrival order.
function readReplies(s: Socket, count: number): Promise<number[]> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (d: Buffer) => {
      chunks.push(d);
      bytes += d.length;
      if (bytes < count * REPLY_BYTES) return;
      s.off('data', onData);
      const got = Buffer.concat(chunks);
      resolve(Array.from({ length: count }, (_, i) => got.readInt32BE(i * REPLY_BYTES + 12)));
    };
    s.on('data', onData);
  });
}

function closedWithin(s: Socket, ms: number): Promise<boolean> {
  if (s.destroyed) return Promise.resolve(true);
  return Promise.race([
    new Promise<boolean>((r) => s.once('close', () => r(true))),
    sleep(ms).then(() => false),
  ]);
}

describe('connection limits', () => {
  it('stops serving a client that does not read, and serves others meanwhile', async () => {
    const path = await start({ maxPendingWriteBytes: 256 * 1024, maxInFlight: 4 });
    const greedy = await open(path);
    greedy.pause();
    const frames = Array.from({ length: 400 }, (_, i) => pingFrame(i + 1));
    greedy.write(Buffer.concat(frames));
    await sleep(300);
    // Served before the pause: what the kernel buffers (about 200 KiB per unix socket on
    // Linux), 256 KiB of pending replies and 4 in flight, at 64 KiB a reply: about 12.
    expect(pings).toBeLessThan(40);

    const other = await open(path);
    other.write(pingFrame(7));
    expect(await readReplies(other, 1)).toEqual([7]);
    other.destroy();

    const seqids = readReplies(greedy, 400);
    greedy.resume();
    expect(await seqids).toEqual(frames.map((_, i) => i + 1));
    greedy.destroy();
  });

  it('closes a connection holding an incomplete request past the timeout', async () => {
    const path = await start({ incompleteTimeoutMs: 300 });
    const s = await open(path);
    const started = Date.now();
    s.write(pingFrame(1).subarray(0, 6));
    expect(await closedWithin(s, 3000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('keeps a connection that is idle between complete requests', async () => {
    const path = await start({ incompleteTimeoutMs: 200 });
    const s = await open(path);
    s.write(pingFrame(1));
    expect(await readReplies(s, 1)).toEqual([1]);
    expect(await closedWithin(s, 500)).toBe(false);
    s.write(pingFrame(2));
    expect(await readReplies(s, 1)).toEqual([2]);
    s.destroy();
  });

  it('closes the longest idle connection to make room at the limit', async () => {
    const path = await start({}, 4);
    const held: Socket[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await open(path);
      s.write(pingFrame(1).subarray(0, 5)); // stalled mid-header
      held.push(s);
      await sleep(20);
    }
    const fresh = await open(path);
    fresh.write(pingFrame(9));
    expect(await readReplies(fresh, 1)).toEqual([9]);
    const [first, ...rest] = held;
    expect(first && (await closedWithin(first, 1000))).toBe(true);
    expect(rest.map((s) => s.destroyed)).toEqual([false, false, false]);
    expect(warnings.map((w) => w.msg)).toContain(
      'too many extension connections; closing the longest idle',
    );
    for (const s of [...held, fresh]) s.destroy();
  });

  it('warns with the declared size when a request exceeds the limit', async () => {
    const path = await start({});
    const s = await open(path);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(0x80010001, 0);
    head.writeInt32BE(3 * 1024 * 1024, 4); // a 3 MiB method name
    s.write(head);
    expect(await closedWithin(s, 2000)).toBe(true);
    expect(warnings).toContainEqual({
      msg: 'closing extension connection: request exceeds the size limit',
      fields: { field: 'string', declaredBytes: 3 * 1024 * 1024, limitBytes: 64 * 1024 },
    });
  });
});
