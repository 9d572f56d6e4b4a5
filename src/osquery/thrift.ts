/**
 * The one place that loads the generated bindings (extension/gen, from osquery.thrift) and
 * builds their structs, so the rest of src/osquery deals in plain objects.
 */
import './q-shim';
import { Int64 } from 'thrift';
import {
  Client as ExtensionClient,
  Processor as ExtensionProcessor,
} from '../../extension/gen/Extension';
import { Client as ManagerClient } from '../../extension/gen/ExtensionManager';
import {
  ExtensionResponse,
  ExtensionStatus,
  InternalExtensionInfo,
} from '../../extension/gen/osquery_types';
import type { CallResult } from './dispatch';

export { ExtensionClient, ExtensionProcessor, ManagerClient };

/** A Thrift ExtensionStatus without a uuid. */
export function toStatus(code: number, message: string): ExtensionStatus {
  const s = new ExtensionStatus();
  s.code = code;
  s.message = message;
  return s;
}

/** A Thrift ExtensionResponse for a call's result whose rows are maps (the reference encoding). */
export function toResponse(result: {
  status: CallResult['status'];
  response: Record<string, string>[];
}): ExtensionResponse {
  const r = new ExtensionResponse();
  r.status = toStatus(result.status.code, result.status.message);
  r.response = result.response;
  return r;
}

/** The InternalExtensionInfo we register with. */
export function toInfo(fields: {
  name: string;
  version: string;
  sdk_version: string;
  min_sdk_version: string;
}): InternalExtensionInfo {
  return new InternalExtensionInfo(fields);
}

/** A uuid as decimal text (osquery's uuids are small non-negative integers). */
export function uuidText(uuid: Int64 | number | string | null | undefined): string | null {
  if (uuid === null || uuid === undefined) return null;
  if (typeof uuid === 'number' || typeof uuid === 'string') return String(uuid);
  const n = uuid.toNumber(true);
  return Number.isFinite(n) ? String(n) : uuid.toOctetString();
}

/** A decimal uuid as the i64 Thrift writes. */
export function uuidInt64(uuid: string): Int64 {
  return new Int64(Number(uuid));
}
