import type { Socket } from 'node:net';
import * as thrift from 'thrift';
import { TBinaryProtocol, TBufferedTransport } from 'thrift';
import { clip, type Logger } from '../log';
import { GuardedBinaryProtocol } from './guarded-protocol';

/** Limits on what one connection may make the server hold or redo. */
export interface ConnectionLimits {
  /**
   * Largest request, in bytes, held while it is incomplete. Thrift's binary protocol reads
   * string and list lengths from the wire; the transport waits for that many bytes, so this is
   * what bounds a request that declares a huge length.
   */
  maxMessageBytes: number;
  /**
   * How many reads may end with the same request still incomplete. node-thrift parses a
   * request again from its start on every read, so a client trickling bytes would otherwise
   * cost work quadratic in its size; osqueryd writes each request in one go.
   */
  maxIncompleteReads: number;
}

/**
 * Requests are small (a table name and a JSON context); 1 MiB is far above any osqueryd sends
 * and keeps a hostile length from costing more than 1 MiB per connection.
 */
export const DEFAULT_LIMITS: ConnectionLimits = {
  maxMessageBytes: 1024 * 1024,
  maxIncompleteReads: 64,
};

/** What serves decoded requests: the generated Processor of the Extension service. */
export interface RequestProcessor {
  process(input: TBinaryProtocol, output: TBinaryProtocol): void;
}

// Thrown by the transport when a request is not complete yet (exported by thrift, untyped).
const InputBufferUnderrunError = (
  thrift as unknown as { InputBufferUnderrunError: ErrorConstructor }
).InputBufferUnderrunError;

type ReceiverFactory = (
  callback: (trans: TBufferedTransport) => void,
  seqid: undefined,
  maxLength: number,
) => (data: Buffer) => void;

/**
 * Serves Thrift requests (TBufferedTransport + TBinaryProtocol, as osqueryd speaks on unix
 * sockets) on one accepted socket. Requests may be pipelined; answers are written in the order
 * their handlers finish. A malformed or oversized request closes this socket only; nothing
 * here throws to the caller.
 */
export function serveConnection(
  socket: Socket,
  processor: RequestProcessor,
  limits: ConnectionLimits,
  logger: Logger,
): void {
  let incomplete = 0;
  const drop = (why: string): void => {
    logger.debug('closing extension connection', { reason: clip(why) });
    socket.destroy();
  };
  const output = new TBinaryProtocol(
    new TBufferedTransport(undefined, (buf?: Buffer) => {
      if (buf && !socket.destroyed && socket.writable) socket.write(buf);
    }),
  );
  const onMessages = (trans: TBufferedTransport): void => {
    const input = new GuardedBinaryProtocol(trans, limits.maxMessageBytes);
    try {
      for (;;) {
        processor.process(input, output);
        trans.commitPosition();
        incomplete = 0;
      }
    } catch (err) {
      if (!(err instanceof InputBufferUnderrunError)) return drop(errorText(err));
      trans.rollbackPosition();
      if (++incomplete > limits.maxIncompleteReads) drop('request arrived in too many pieces');
    }
  };
  const receiver = (TBufferedTransport.receiver as unknown as ReceiverFactory)(
    onMessages,
    undefined,
    limits.maxMessageBytes,
  );
  socket.on('data', (data: Buffer) => {
    try {
      receiver(data);
    } catch (err) {
      drop(errorText(err));
    }
  });
  socket.on('error', (err) => logger.debug('extension connection error', { error: err.message }));
  socket.on('end', () => socket.end());
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
