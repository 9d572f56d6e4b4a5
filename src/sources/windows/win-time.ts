/**
 * Time stamps as Windows event renderers write them, turned into unix seconds (whole seconds,
 * rounded down, as the `time` column is BIGINT).
 *
 * Forms seen in practice: `2024-05-01T10:11:12.1234567Z` (wevtutil, Get-WinEvent), `2019-04-27
 * 15:57:54.165737` (python-evtx, UTC without a zone), Sysmon's `UtcTime` `2019-04-27
 * 15:57:54.165`, NXLog's `EventTime` `2020-09-21 18:58:29` (the collecting host's local time).
 */

const STAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** A parsed time stamp: unix milliseconds as if UTC, and whether the text named its zone. */
export interface Stamp {
  ms: number;
  zoned: boolean;
}

/** Parses one of the forms above; null for anything else, out-of-range fields included. */
export function parseStamp(text: string): Stamp | null {
  const m = STAMP.exec(text.trim());
  if (!m) return null;
  const field = (i: number) => Number(m[i]);
  const [year, month, day] = [field(1), field(2), field(3)];
  const [hour, minute, second] = [field(4), field(5), field(6)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + fraction;
  const zone = m[8];
  if (!zone) return { ms, zoned: false };
  return { ms: ms - zoneOffsetMs(zone), zoned: true };
}

function zoneOffsetMs(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** Unix seconds of a stamp that is UTC when it names no zone; null when unparsable. */
export function utcSeconds(text: string | null): number | null {
  if (text === null) return null;
  const stamp = parseStamp(text);
  return stamp ? Math.floor(stamp.ms / 1000) : null;
}

/**
 * The offset of a collector's local clock from UTC, in milliseconds, from one instant written
 * both ways: NXLog's `EventReceivedTime` (local, no zone) and Logstash's `@timestamp` (UTC) are
 * both the moment the line was received. Rounded to 15 minutes, the finest step of real time
 * zones, which absorbs the transport delay between the two. Null when either is missing.
 */
export function localOffsetMs(localText: string | null, utcText: string | null): number | null {
  if (localText === null || utcText === null) return null;
  const local = parseStamp(localText);
  const utc = parseStamp(utcText);
  if (!local || local.zoned || !utc || !utc.zoned) return null;
  const quarter = 15 * 60_000;
  return Math.round((local.ms - utc.ms) / quarter) * quarter;
}
