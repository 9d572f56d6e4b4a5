import type { CallResult } from './dispatch';

// Thrift binary protocol constants (TBinaryProtocol, strict write as osqueryd reads it).
const VERSION_1 = 0x80010000;
const MESSAGE_REPLY = 2;
const T_STOP = 0;
const T_I32 = 8;
const T_STRING = 11;
const T_STRUCT = 12;
const T_MAP = 13;
const T_LIST = 15;

/**
 * Encodes the reply of `Extension.call` straight into one buffer: message header, the result
 * struct's field 0 (`success`: ExtensionResponse { 1: status, 2: list<map<string,string>> }).
 * The generated code deep-copies every row and allocates per value, which costs seconds for a
 * table of 50,000 rows; this copies each row's bytes, encoded once (a table may hand them
 * over already encoded by {@link encodeWireRow}). The bytes are those the generated writer
 * produces (the round trip is tested against it).
 */
export function encodeCallReply(seqid: number, result: CallResult): Buffer {
  let size = 64 * 1024 + result.status.message.length * 3;
  for (const row of result.response) size += Buffer.isBuffer(row) ? row.length : 256;
  const w = new Writer(size);
  w.i32(VERSION_1 | MESSAGE_REPLY);
  w.string('call');
  w.i32(seqid);
  w.fieldHeader(T_STRUCT, 0); // call_result.success
  w.fieldHeader(T_STRUCT, 1); // ExtensionResponse.status
  w.fieldHeader(T_I32, 1);
  w.i32(result.status.code);
  w.fieldHeader(T_STRING, 2);
  w.string(result.status.message);
  w.byte(T_STOP);
  w.fieldHeader(T_LIST, 2); // ExtensionResponse.response
  w.byte(T_MAP);
  w.i32(result.response.length);
  for (const row of result.response) w.bytes(Buffer.isBuffer(row) ? row : encodedRow(row));
  w.byte(T_STOP); // ExtensionResponse
  w.byte(T_STOP); // call_result
  return w.done();
}

// Rows are immutable once served (tables cache their wire rows), so each is encoded once.
const encoded = new WeakMap<object, Buffer>();

const scratch = { writer: null as Writer | null };

/** The binary encoding of one row (a map<string,string>), cached per row object. */
function encodedRow(row: Record<string, string>): Buffer {
  let bytes = encoded.get(row);
  if (!bytes) encoded.set(row, (bytes = encodeWireRow(row)));
  return bytes;
}

/**
 * One row in the Thrift binary encoding of `map<string,string>`, as it sits inside a `call`
 * reply. Tables with many immutable rows keep these instead of the row maps.
 */
export function encodeWireRow(row: Record<string, string>): Buffer {
  const w = (scratch.writer ??= new Writer(64 * 1024));
  w.reset();
  w.stringMap(row);
  return w.copy();
}

// Short strings are mostly ASCII: a byte loop beats the native UTF-8 encoder's call cost.
// Returns the bytes written, or -1 (nothing usable written) when `s` is not all ASCII.
function writeAscii(buf: Buffer, s: string, at: number): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return -1;
    buf[at + i] = c;
  }
  return s.length;
}

/** A growable output buffer with the binary protocol's primitives. */
class Writer {
  private buf: Buffer;
  private at = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  byte(v: number): void {
    this.ensure(1);
    this.buf[this.at++] = v;
  }

  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v | 0, this.at);
    this.at += 4;
  }

  fieldHeader(type: number, id: number): void {
    this.ensure(3);
    this.buf[this.at] = type;
    this.buf.writeInt16BE(id, this.at + 1);
    this.at += 3;
  }

  string(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.ensure(4 + s.length * 3);
    const start = this.at + 4;
    const n = s.length <= 64 ? writeAscii(this.buf, s, start) : -1;
    this.lengthPrefix(n >= 0 ? n : this.buf.write(s, start, 'utf8'));
  }

  // Writes the 4-byte length before the string just written and moves past both.
  private lengthPrefix(n: number): void {
    const b = this.buf;
    const at = this.at;
    b[at] = n >>> 24;
    b[at + 1] = (n >>> 16) & 0xff;
    b[at + 2] = (n >>> 8) & 0xff;
    b[at + 3] = n & 0xff;
    this.at = at + 4 + n;
  }

  stringMap(map: Record<string, string>): void {
    const keys = Object.keys(map);
    this.ensure(6);
    this.buf[this.at] = T_STRING;
    this.buf[this.at + 1] = T_STRING;
    this.buf.writeInt32BE(keys.length, this.at + 2);
    this.at += 6;
    for (const k of keys) {
      this.string(k);
      this.string(map[k] as string);
    }
  }

  bytes(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.at);
    this.at += b.length;
  }

  reset(): void {
    this.at = 0;
  }

  /** A copy of the bytes written, in a buffer of their size. */
  copy(): Buffer {
    const out = Buffer.allocUnsafe(this.at);
    this.buf.copy(out, 0, 0, this.at);
    return out;
  }

  /** The bytes written; a small result is copied out of its oversized first buffer. */
  done(): Buffer {
    if (this.at * 2 >= this.buf.length) return this.buf.subarray(0, this.at);
    return Buffer.from(this.buf.subarray(0, this.at));
  }

  private ensure(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
}
