import { Thrift, type TProtocol } from 'thrift';
import { encodeCallReply } from './call-reply';
import type { CallResult } from './dispatch';
import { ExtensionProcessor } from './thrift';

/** The arguments of `Extension.call` (field ids 1, 2, 3 of osquery.thrift). */
export interface CallArgs {
  registry: string;
  item: string;
  request: Record<string, string>;
}

/** The generated Extension handler's methods other than `call`. */
interface Handler {
  ping(): unknown;
  shutdown(): void;
}

/**
 * The generated Extension processor with `call` answered by {@link encodeCallReply}: ping and
 * shutdown go through the generated code, `call` (which carries table rows) is read and
 * written here. Reading stays synchronous so that an incomplete request still throws the
 * transport's underrun error to the connection, which waits for more bytes.
 */
export function createExtensionProcessor(
  handler: Handler,
  call: (args: CallArgs) => Promise<CallResult>,
): ExtensionProcessor {
  // The generated dispatcher wants a `call` handler; process_call below replaces its only user.
  const unused = () => Promise.reject(new Error('call is answered by process_call'));
  const processor = new ExtensionProcessor({ ...handler, call: unused });
  processor.process_call = (seqid: number, input: TProtocol, output: TProtocol): void => {
    const args = readCallArgs(input);
    input.readMessageEnd();
    const reply = (result: CallResult): void => {
      output.getTransport().write(encodeCallReply(seqid, result));
      output.flush();
    };
    call(args).then(reply, (err: unknown) =>
      reply({ status: { code: 1, message: String(err) }, response: [] }),
    );
  };
  return processor;
}

/** Reads the call_args struct; unknown fields are skipped as the generated reader does. */
export function readCallArgs(input: TProtocol): CallArgs {
  const args: CallArgs = { registry: '', item: '', request: {} };
  input.readStructBegin();
  for (;;) {
    const field = input.readFieldBegin();
    if (field.ftype === Thrift.Type.STOP) break;
    if (field.fid === 1 && field.ftype === Thrift.Type.STRING) args.registry = input.readString();
    else if (field.fid === 2 && field.ftype === Thrift.Type.STRING) args.item = input.readString();
    else if (field.fid === 3 && field.ftype === Thrift.Type.MAP)
      args.request = readStringMap(input);
    else input.skip(field.ftype);
    input.readFieldEnd();
  }
  input.readStructEnd();
  return args;
}

function readStringMap(input: TProtocol): Record<string, string> {
  const header = input.readMapBegin();
  const map: Record<string, string> = {};
  const strings = header.ktype === Thrift.Type.STRING && header.vtype === Thrift.Type.STRING;
  for (let i = 0; i < header.size; i++) {
    if (!strings) {
      input.skip(header.ktype);
      input.skip(header.vtype);
      continue;
    }
    const key = input.readString();
    map[key] = input.readString();
  }
  input.readMapEnd();
  return map;
}
