import { digestOf, WinFormatError, type WinEvent } from './win-event';
import { localOffsetMs, parseStamp, utcSeconds } from './win-time';

/**
 * Reads one Windows event exported as a JSON line: NXLog `im_msvistalog` (EventData fields
 * flattened to top-level keys beside `EventID`, `Channel`, `Hostname`, `RecordNumber`,
 * `EventTime`, `Message`), the same passed through Logstash (`@timestamp`), or Winlogbeat
 * (`winlog.event_id`, `winlog.event_data`, ...).
 *
 * Flattening loses fields: NXLog writes the System `ProcessID` and EventData `ProcessId` to keys
 * that differ only in case, and some pipelines keep only one. Keys are matched exactly, so a lost
 * EventData field is recovered from `Message` by the row builder, never taken from System.
 */

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** Every string or number value of `obj` as text, by key. */
function scalars(obj: Obj): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(obj)) {
    const text = str(value);
    if (text !== null) out.set(key, text);
  }
  return out;
}

function eventIdOf(value: unknown): number | null {
  const n = typeof value === 'number' ? value : Number(str(value) ?? NaN);
  return Number.isInteger(n) ? n : null;
}

/** Parses one JSON line. Throws WinFormatError when it is not a JSON object with an EventID. */
export function parseEventJson(line: string): WinEvent {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    throw new WinFormatError('expected one JSON object per line');
  }
  if (!isObj(doc)) throw new WinFormatError('expected one JSON object per line');
  const winlog = doc['winlog'];
  const event = isObj(winlog) ? fromWinlogbeat(doc, winlog) : fromNxlog(doc);
  if (event.eventId === null) {
    throw new WinFormatError('expected an EventID (NXLog) or winlog.event_id (Winlogbeat) key');
  }
  return { ...event, digest: digestOf(line) };
}

function fromNxlog(doc: Obj): Omit<WinEvent, 'digest'> {
  return {
    provider: str(doc['SourceName']) ?? str(doc['ProviderName']),
    eventId: eventIdOf(doc['EventID']),
    channel: str(doc['Channel']),
    computer: str(doc['Hostname']) ?? str(doc['Computer']),
    recordId: str(doc['RecordNumber']) ?? str(doc['EventRecordID']),
    time: nxlogTime(doc),
    data: scalars(doc),
    binary: str(doc['Binary']),
    message: str(doc['Message']),
  };
}

/**
 * The event time of an NXLog line. A stamp with a zone is exact. NXLog's `EventTime` is local
 * time without a zone: it is shifted by the collector's offset when `EventReceivedTime` and
 * Logstash's `@timestamp` reveal it, else read as UTC (the export keeps no other clue).
 */
function nxlogTime(doc: Obj): number | null {
  const created = str(doc['TimeCreated']);
  const eventTime = str(doc['EventTime']);
  for (const text of [created, eventTime]) {
    if (text !== null && parseStamp(text)?.zoned) return utcSeconds(text);
  }
  const local = eventTime ?? created;
  const stamp = local === null ? null : parseStamp(local);
  if (stamp) {
    const offset = localOffsetMs(str(doc['EventReceivedTime']), str(doc['@timestamp'])) ?? 0;
    return Math.floor((stamp.ms - offset) / 1000);
  }
  return utcSeconds(str(doc['@timestamp']));
}

function fromWinlogbeat(doc: Obj, winlog: Obj): Omit<WinEvent, 'digest'> {
  const eventData = isObj(winlog['event_data']) ? scalars(winlog['event_data']) : new Map();
  if (isObj(winlog['user_data'])) {
    for (const [k, v] of scalars(winlog['user_data'])) eventData.set(k, v);
  }
  return {
    provider: str(winlog['provider_name']),
    eventId: eventIdOf(winlog['event_id']),
    channel: str(winlog['channel']),
    computer: str(winlog['computer_name']),
    recordId: str(winlog['record_id']),
    // Winlogbeat's @timestamp is the event's TimeCreated, in UTC.
    time: utcSeconds(str(doc['@timestamp'])),
    data: eventData,
    binary: null,
    message: str(doc['message']),
  };
}
