import { createHash } from 'node:crypto';

/**
 * One Windows event as every reader (rendered XML, NXLog or Winlogbeat JSON) hands it on: the
 * System facts the rows need and the event's named data fields. Values are kept as the text the
 * renderer wrote; the row builder decides what they mean.
 */
export interface WinEvent {
  provider: string | null;
  eventId: number | null;
  channel: string | null;
  computer: string | null;
  /** EventRecordID / RecordNumber as decimal text (a uint64 on Windows), or null. */
  recordId: string | null;
  /** Event time in unix seconds from the System part (TimeCreated), or null. */
  time: number | null;
  /** EventData `<Data Name=...>` (or UserData children, or flattened JSON keys) by name. */
  data: ReadonlyMap<string, string>;
  /** The EventData `<Binary>` payload as rendered (hex or base64), or null. */
  binary: string | null;
  /** The rendered message text, used to recover fields an export lost, or null. */
  message: string | null;
  /** A digest of the raw input: the event id of last resort when there is no record id. */
  digest: string;
}

/** Input that does not hold a Windows event; the message says what was expected. */
export class WinFormatError extends Error {
  override readonly name = 'WinFormatError';
}

/** First 16 hex digits of the SHA-1 of `raw`: stable across runs, so eids stay stable. */
export function digestOf(raw: string): string {
  return createHash('sha1').update(raw).digest('hex').slice(0, 16);
}

// Channel names are case-insensitive on Windows and some exports lower-case them ("security").
const CANONICAL_CHANNELS = ['Security', 'System', 'Microsoft-Windows-Sysmon/Operational'];

/** The channel's usual spelling, so the same event read two ways gets the same eid. */
export function canonicalChannel(channel: string | null): string | null {
  if (channel === null) return null;
  const lower = channel.toLowerCase();
  return CANONICAL_CHANNELS.find((c) => c.toLowerCase() === lower) ?? channel;
}

/**
 * A data field by name; when the export lost it, the value after `label:` in the rendered
 * message (English labels, as in "Process ID:\t0x1a74"). Null when neither has it.
 */
export function field(event: WinEvent, name: string, label: string = name): string | null {
  const direct = event.data.get(name);
  if (direct !== undefined) return direct;
  if (event.message === null) return null;
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^[ \\t]*${escaped}:[ \\t]*(.*?)[ \\t\\r]*$`, 'm').exec(event.message);
  return m?.[1] ?? null;
}

/** A field with Windows' placeholders for "nothing" ("", "-") turned into null. */
export function present(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === '-' ? null : trimmed;
}
