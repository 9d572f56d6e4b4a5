import { TBinaryProtocol, Thrift, type TTransport } from 'thrift';

/**
 * TBinaryProtocol that refuses, as soon as it reads them, lengths no request within
 * `maxBytes` can have: a string, binary, list, map or set larger than the whole request.
 * node-thrift would otherwise wait for gigabytes a client merely declared. It also reads
 * strictly (a version header is required), as osqueryd always writes one.
 */
export class GuardedBinaryProtocol extends TBinaryProtocol {
  constructor(
    trans: TTransport,
    private readonly maxBytes: number,
  ) {
    super(trans, true, true);
  }

  override readString(): string {
    const len = this.checked(this.readI32(), 'string');
    return len === 0 ? '' : (this.getTransport() as unknown as Reader).readString(len);
  }

  override readBinary(): Buffer {
    const len = this.checked(this.readI32(), 'binary');
    return (this.getTransport() as unknown as Reader).read(len);
  }

  override readListBegin(): { etype: Thrift.Type; size: number } {
    const r = super.readListBegin();
    this.checked(r.size, 'list');
    return r;
  }

  override readSetBegin(): { etype: Thrift.Type; size: number } {
    const r = super.readSetBegin();
    this.checked(r.size, 'set');
    return r;
  }

  override readMapBegin(): { ktype: Thrift.Type; vtype: Thrift.Type; size: number } {
    const r = super.readMapBegin();
    this.checked(r.size, 'map');
    return r;
  }

  private checked(size: number, what: string): number {
    if (size < 0 || size > this.maxBytes) throw new RequestTooLarge(what, size, this.maxBytes);
    return size;
  }
}

/** A request declared a string, binary, list, map or set larger than the request limit. */
export class RequestTooLarge extends Thrift.TProtocolException {
  constructor(
    readonly what: string,
    readonly declared: number,
    limit: number,
  ) {
    super(
      Thrift.TProtocolExceptionType.SIZE_LIMIT,
      `${what} of declared size ${declared} exceeds the ${limit}-byte request limit`,
    );
  }
}

interface Reader {
  readString(len: number): string;
  read(len: number): Buffer;
}
