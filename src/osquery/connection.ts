import type { Socket } from 'node:net';
import * as thrift from 'thrift';
import { TBinaryProtocol, TBufferedTransport } from 'thrift';
import { clip, type Logger } from '../log';
import { GuardedBinaryProtocol, RequestTooLarge } from './guarded-protocol';

/** Limits on what one connection may make the server hold or redo. */
export interface ConnectionLimits {
  /**
   * Largest request, in bytes, held while it is incomplete. Thrift's binary protocol reads
   * string and list lengths from the wire and waits for that many bytes, so this is what
   * bounds a request that declares a huge length. A larger request closes the connection.
   */
  maxMessageBytes: number;
  /**
   * How many reads may end with the same request still incomplete. A request is parsed again
   * from its start on every read, so a client trickling bytes would otherwise cost work
   * quadratic in its size; osqueryd writes each request in one go.
   */
  maxIncompleteReads: number;
  /**
   * Requests of one connection being answered at once; further pipelined requests wait
   * unread. osqueryd's client is synchronous (one request at a time per connection).
   */
  maxInFlight: number;
  /**
   * Reply bytes waiting for a client that does not read, beyond which no further request of
   * that connection is started until the socket drains. The worst case held for one
   * connection is this plus `maxInFlight` replies.
   */
  maxPendingWriteBytes: number;
  /** How long a connection may hold an incomplete request before it is closed. */
  incompleteTimeoutMs: number;
}

/**
 * Requests are small (a table name and a JSON context); 1 MiB is far above any osqueryd sends
 * and keeps a hostile length from costing more than 1 MiB per connection. osqueryd writes a
 * request at once, so 10 s with a partial request means a stalled or hostile client.
 */
export const DEFAULT_LIMITS: ConnectionLimits = {
  maxMessageBytes: 1024 * 1024,
  maxIncompleteReads: 64,
  maxInFlight: 4,
  maxPendingWriteBytes: 8 * 1024 * 1024,
  incompleteTimeoutMs: 10_000,
};

/** What serves decoded requests: the generated Processor of the Extension service. */
export interface RequestProcessor {
  process(input: TBinaryProtocol, output: TBinaryProtocol): void;
}

/** What the server may ask of a served connection. */
export interface ConnectionHandle {
  /** Since when (Date.now() ms) the connection has had no request being answered; null while busy. */
  idleSince(): number | null;
}

// Thrown by the transport when a request is not complete yet (exported by thrift, untyped).
const InputBufferUnderrunError = (
  thrift as unknown as { InputBufferUnderrunError: ErrorConstructor }
).InputBufferUnderrunError;

const EMPTY = Buffer.alloc(0);

/**
 * Serves Thrift requests (TBufferedTransport + TBinaryProtocol, as osqueryd speaks on unix
 * sockets) on one accepted socket. Requests may be pipelined; answers are written in the order
 * their handlers finish. At most `maxInFlight` requests are answered at once, and none is
 * started while more than `maxPendingWriteBytes` of replies wait for the client: the socket is
 * paused until replies finish or drain. A malformed, oversized or stalled request closes this
 * socket only; replies for a closed socket are dropped; nothing here throws to the caller.
 */
export function serveConnection(
  socket: Socket,
  processor: RequestProcessor,
  limits: ConnectionLimits,
  logger: Logger,
): ConnectionHandle {
  return new Connection(socket, processor, limits, logger);
}

class Connection implements ConnectionHandle {
  // Received bytes not yet served: complete requests held back by the limits, then at most
  // one incomplete request.
  private pending: Buffer = EMPTY;
  private inFlight = 0;
  private incompleteReads = 0;
  private waitingForInput = false;
  private pumping = false;
  private closed = false;
  private ended = false;
  private lastActive = Date.now();
  private partialTimer: NodeJS.Timeout | null = null;
  private readonly output: TBinaryProtocol;

  constructor(
    private readonly socket: Socket,
    private readonly processor: RequestProcessor,
    private readonly limits: ConnectionLimits,
    private readonly logger: Logger,
  ) {
    this.output = new TBinaryProtocol(new TBufferedTransport(undefined, (b) => this.send(b)));
    socket.on('data', (data: Buffer) => this.receive(data));
    socket.on('drain', () => this.pump());
    socket.on('error', (err) => logger.debug('extension connection error', { error: err.message }));
    socket.on('end', () => {
      this.ended = true;
      this.endWhenAnswered();
    });
    socket.on('close', () => this.release());
  }

  idleSince(): number | null {
    return this.inFlight > 0 ? null : this.lastActive;
  }

  private receive(data: Buffer): void {
    this.lastActive = Date.now();
    // Paused sockets deliver no data, so beyond one incomplete request only a read's worth can
    // be here; this guards against a stream that ignores pause().
    if (this.pending.length + data.length > 2 * this.limits.maxMessageBytes) {
      return this.tooLarge(this.pending.length + data.length);
    }
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    this.waitingForInput = false;
    this.pump();
    if (!this.waitingForInput || this.closed) return;
    if (this.pending.length > this.limits.maxMessageBytes)
      return this.tooLarge(this.pending.length);
    if (++this.incompleteReads > this.limits.maxIncompleteReads) {
      this.drop('request arrived in too many pieces');
    }
  }

  // Serves the complete requests received so far, as many as the limits allow, then pauses or
  // resumes the socket. Re-entered from a reply written while serving: the loop goes on.
  private pump(): void {
    if (this.closed || this.pumping) return;
    this.pumping = true;
    try {
      if (!this.waitingForInput) this.serveBuffered();
    } finally {
      this.pumping = false;
    }
    if (this.closed) return;
    if (this.throttled()) this.socket.pause();
    else this.socket.resume();
    this.watchPartial();
    this.endWhenAnswered();
  }

  // A client that half-closed still gets the answers to what it sent, then our end.
  private endWhenAnswered(): void {
    const served = this.pending.length === 0 || this.waitingForInput;
    if (this.ended && !this.closed && this.inFlight === 0 && served) this.socket.end();
  }

  private serveBuffered(): void {
    const buf = this.pending;
    const trans = Object.assign(new TBufferedTransport(), { inBuf: buf, writeCursor: buf.length });
    const input = new GuardedBinaryProtocol(trans, this.limits.maxMessageBytes);
    let consumed = 0;
    try {
      while (consumed < buf.length && !this.throttled()) {
        this.inFlight++; // before process(): an unknown method is answered synchronously
        try {
          this.processor.process(input, this.output);
        } catch (err) {
          this.inFlight--;
          throw err;
        }
        consumed = (trans as unknown as { readCursor: number }).readCursor;
        this.incompleteReads = 0;
        if (this.partialTimer) this.clearPartialTimer();
      }
    } catch (err) {
      if (!(err instanceof InputBufferUnderrunError)) return this.reject(err);
      this.waitingForInput = true;
    }
    this.pending = consumed === buf.length ? EMPTY : buf.subarray(consumed);
  }

  private throttled(): boolean {
    return (
      this.inFlight >= this.limits.maxInFlight ||
      this.socket.writableLength > this.limits.maxPendingWriteBytes
    );
  }

  // A reply is complete: write it unless the client is gone, then serve what waited for it.
  private send(buf: Buffer | undefined): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.lastActive = Date.now();
    if (this.closed || !this.socket.writable) return;
    if (buf) this.socket.write(buf);
    this.pump();
  }

  // osqueryd writes a request at once; one held incomplete this long is from a stalled client.
  private watchPartial(): void {
    const partial = this.waitingForInput && this.pending.length > 0;
    if (!partial) return this.clearPartialTimer();
    if (this.partialTimer) return;
    const ms = this.limits.incompleteTimeoutMs;
    this.partialTimer = setTimeout(() => this.drop(`request incomplete after ${ms} ms`), ms);
    this.partialTimer.unref();
  }

  private clearPartialTimer(): void {
    if (this.partialTimer) clearTimeout(this.partialTimer);
    this.partialTimer = null;
  }

  private reject(err: unknown): void {
    if (err instanceof RequestTooLarge) {
      this.logger.warn('closing extension connection: request exceeds the size limit', {
        field: err.what,
        declaredBytes: err.declared,
        limitBytes: this.limits.maxMessageBytes,
      });
      return this.close();
    }
    this.drop(err instanceof Error ? err.message : String(err));
  }

  private tooLarge(bytes: number): void {
    this.logger.warn('closing extension connection: request exceeds the size limit', {
      receivedBytes: bytes,
      limitBytes: this.limits.maxMessageBytes,
    });
    this.close();
  }

  private drop(why: string): void {
    this.logger.debug('closing extension connection', { reason: clip(why) });
    this.close();
  }

  private close(): void {
    this.release();
    this.socket.destroy();
  }

  // Lets go of everything held for this client: buffered requests, the timer, late replies.
  private release(): void {
    this.closed = true;
    this.pending = EMPTY;
    this.clearPartialTimer();
  }
}
