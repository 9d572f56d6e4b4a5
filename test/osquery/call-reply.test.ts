import { describe, expect, it } from 'vitest';
import { TBinaryProtocol, TBufferedTransport, Thrift } from 'thrift';
import { encodeCallReply, encodeWireRow } from '../../src/osquery/call-reply';
import { readCallArgs } from '../../src/osquery/call-processor';
import { toResponse } from '../../src/osquery/thrift';
type MapResult = { status: { code: number; message: string }; response: Record<string, string>[] };

/** What the generated writer produces for the same reply: the reference encoding. */
function generatedBytes(seqid: number, result: MapResult): Buffer {
  let out: Buffer = Buffer.alloc(0);
  const proto = new TBinaryProtocol(new TBufferedTransport(undefined, (b) => (out = b as Buffer)));
  proto.writeMessageBegin('call', Thrift.MessageType.REPLY, seqid);
  proto.writeStructBegin('Extension_call_result');
  proto.writeFieldBegin('success', Thrift.Type.STRUCT, 0);
  (toResponse(result) as unknown as { write(p: TBinaryProtocol): void }).write(proto);
  proto.writeFieldEnd();
  proto.writeFieldStop();
  proto.writeStructEnd();
  proto.writeMessageEnd();
  proto.flush();
  return out;
}

describe('encodeCallReply', () => {
  it.each<[string, MapResult]>([
    ['an empty table', { status: { code: 0, message: 'OK' }, response: [] }],
    ['a failure', { status: { code: 1, message: 'unknown table x' }, response: [] }],
    [
      'rows with multi-byte text',
      {
        status: { code: 0, message: 'OK' },
        response: [
          { pid: '42', name: 'sleep', path: '/usr/bin/sl\u00e9ep' },
          { kind: 'signal', actor_name: '\u6bba\u3059' },
          {},
        ],
      },
    ],
  ])('writes the bytes of the generated writer for %s', (_name, result) => {
    expect(encodeCallReply(7, result).equals(generatedBytes(7, result))).toBe(true);
  });

  it('grows past its first guess for long values', () => {
    const long = 'x'.repeat(200_000);
    const result = { status: { code: 0, message: 'OK' }, response: [{ cmdline: long }] };
    expect(encodeCallReply(1, result).equals(generatedBytes(1, result))).toBe(true);
  });
});

describe('readCallArgs', () => {
  it('reads registry, item and request as the generated client writes them', () => {
    let wire: Buffer = Buffer.alloc(0);
    const out = new TBinaryProtocol(new TBufferedTransport(undefined, (b) => (wire = b as Buffer)));
    out.writeStructBegin('Extension_call_args');
    out.writeFieldBegin('registry', Thrift.Type.STRING, 1);
    out.writeString('table');
    out.writeFieldBegin('item', Thrift.Type.STRING, 2);
    out.writeString('process_terminations');
    out.writeFieldBegin('unknown', Thrift.Type.I32, 9);
    out.writeI32(5);
    out.writeFieldBegin('request', Thrift.Type.MAP, 3);
    out.writeMapBegin(Thrift.Type.STRING, Thrift.Type.STRING, 1);
    out.writeString('action');
    out.writeString('generate');
    out.writeFieldStop();
    out.flush();
    let args: unknown;
    const receive = TBufferedTransport.receiver((trans) => {
      args = readCallArgs(new TBinaryProtocol(trans));
    }, 0);
    receive(wire);
    expect(args).toEqual({
      registry: 'table',
      item: 'process_terminations',
      request: { action: 'generate' },
    });
  });
});

describe('encodeWireRow', () => {
  it('gives the bytes a map row takes inside a reply, so tables may pass them pre-encoded', () => {
    const row = { pid: '42', name: 'sleep' };
    const asMap = encodeCallReply(3, { status: { code: 0, message: 'OK' }, response: [row] });
    const asBytes = encodeCallReply(3, {
      status: { code: 0, message: 'OK' },
      response: [encodeWireRow(row)],
    });
    expect(asBytes.equals(asMap)).toBe(true);
  });
});
