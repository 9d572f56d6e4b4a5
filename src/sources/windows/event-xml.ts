import { XMLParser } from 'fast-xml-parser';
import { digestOf, WinFormatError, type WinEvent } from './win-event';
import { utcSeconds } from './win-time';

/**
 * Reads events rendered as XML by `wevtutil qe /f:xml` (with or without `/e:Events`),
 * `Get-WinEvent ... .ToXml()` or python-evtx. Namespaces are dropped, so the event schema's
 * default namespace and prefixed forms read the same.
 */

// `<Event` (maybe namespace-prefixed) followed by a space, `>` or `/`: not `<EventData`,
// `<EventID` or `<Events`.
const EVENT_OPEN = /<(?:[\w.-]+:)?Event[\s>/]/g;
const EVENT_CLOSE = /<\/(?:[\w.-]+:)?Event\s*>/g;

/** Why the splitter dropped text that started an event. */
export type DropFn = (reason: string, start: string) => void;

/**
 * Cuts a stream of rendered XML into one `<Event>...</Event>` text each. Events do not nest, so
 * an event ends at the first closing tag after its start, and an event start before that tag
 * means the earlier event was broken off: it is dropped (reported to `onDrop`) and the new one
 * read. Text between events (the XML declaration, `<Events>` wrappers) is dropped. An event
 * longer than `maxEventChars` is dropped and reported, whether complete or still open; an
 * unfinished one is held back until more text arrives, so at most about `maxEventChars` of
 * text is held.
 */
export class EventXmlSplitter {
  private pending = '';
  /** Inside an over-long event already reported: drop text up to the next event start. */
  private skipping = false;
  /** Events dropped for being longer than the limit. */
  overflows = 0;
  /** Events dropped because another event started before they ended. */
  broken = 0;

  constructor(
    private readonly maxEventChars = 1 << 20,
    private readonly onDrop: DropFn = () => undefined,
  ) {}

  /** Adds text; returns the events it completed, in order. */
  push(text: string): string[] {
    this.pending += text;
    const events: string[] = [];
    let at = this.skipping ? this.skipTo() : 0;
    let held = false; // pending[at] starts an unfinished event
    while (at >= 0) {
      EVENT_OPEN.lastIndex = at;
      const open = EVENT_OPEN.exec(this.pending);
      if (!open) break;
      EVENT_CLOSE.lastIndex = open.index;
      const close = EVENT_CLOSE.exec(this.pending);
      EVENT_OPEN.lastIndex = open.index + 1;
      const next = EVENT_OPEN.exec(this.pending);
      if (next && (!close || next.index < close.index)) {
        this.drop('broken', open.index, 'an <Event> element cut off by the start of the next');
        at = next.index;
        continue;
      }
      if (!close) {
        at = open.index;
        held = true;
        break;
      }
      const end = close.index + close[0].length;
      if (end - open.index > this.maxEventChars) this.drop('overflows', open.index, TOO_LONG);
      else events.push(this.pending.slice(open.index, end));
      at = end;
    }
    if (held) this.hold(at);
    else this.keepTail(Math.max(at, 0));
    return events;
  }

  /** True when an unfinished event is held back (at the end of input: a truncated event). */
  get holding(): boolean {
    EVENT_OPEN.lastIndex = 0;
    return EVENT_OPEN.test(this.pending);
  }

  /** While skipping an over-long event: the index of the next event start, or -1. */
  private skipTo(): number {
    EVENT_OPEN.lastIndex = 0;
    const open = EVENT_OPEN.exec(this.pending);
    if (!open) return -1;
    this.skipping = false;
    return open.index;
  }

  /** Keeps the unfinished event at pending[at]; past the limit it is dropped and skipped. */
  private hold(at: number): void {
    this.pending = this.pending.slice(at);
    if (this.pending.length <= this.maxEventChars) return;
    this.drop('overflows', 0, TOO_LONG);
    this.skipping = true;
    this.keepTail(1); // not the dropped event's own start
  }

  /** No event is open: keeps only a last `<` after `from` that may begin one. */
  private keepTail(from: number): void {
    const lt = this.pending.lastIndexOf('<');
    const tail = lt >= from && this.pending.length - lt < 256;
    this.pending = tail ? this.pending.slice(lt) : '';
  }

  private drop(counter: 'overflows' | 'broken', at: number, reason: string): void {
    this[counter]++;
    this.onDrop(reason, this.pending.slice(at, at + 256));
  }
}

const TOO_LONG = 'an <Event> element longer than the 1 MiB limit';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  trimValues: true,
  isArray: (name) => name === 'Data',
});

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An element's text: plain string, `#text` of an element with attributes, '' when empty. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isNode(value)) {
    const text = value['#text'];
    if (text === undefined) return '';
    return typeof text === 'string' ? text : String(text);
  }
  return null;
}

function attr(value: unknown, name: string): string | null {
  return isNode(value) && typeof value[`@${name}`] === 'string'
    ? (value[`@${name}`] as string)
    : null;
}

/** Parses one `<Event>` element. Throws WinFormatError when it is not a well-formed event. */
export function parseEventXml(xml: string): WinEvent {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw new WinFormatError(`expected a well-formed <Event> element: ${(err as Error).message}`);
  }
  const event = isNode(doc) ? doc['Event'] : undefined;
  const system = isNode(event) ? event['System'] : undefined;
  if (!isNode(event) || !isNode(system)) {
    throw new WinFormatError('expected an <Event> element with a <System> part');
  }
  const eventId = Number(textOf(system['EventID']));
  const rendering = event['RenderingInfo'];
  return {
    provider: attr(system['Provider'], 'Name'),
    eventId: Number.isInteger(eventId) ? eventId : null,
    channel: textOf(system['Channel']),
    computer: textOf(system['Computer']),
    recordId: textOf(system['EventRecordID']),
    time: utcSeconds(attr(system['TimeCreated'], 'SystemTime')),
    data: dataFields(event),
    binary: isNode(event['EventData']) ? textOf(event['EventData']['Binary']) : null,
    message: isNode(rendering) ? textOf(rendering['Message']) : null,
    digest: digestOf(xml),
  };
}

/** EventData's `<Data>` items by Name (unnamed ones by position), or UserData's fields. */
function dataFields(event: Node): Map<string, string> {
  const fields = new Map<string, string>();
  const eventData = event['EventData'];
  if (isNode(eventData) && Array.isArray(eventData['Data'])) {
    eventData['Data'].forEach((item: unknown, i) => {
      const value = textOf(item);
      if (value !== null) fields.set(attr(item, 'Name') ?? `#${i}`, value);
    });
  }
  const userData = event['UserData'];
  if (isNode(userData)) {
    // UserData holds one provider-defined element whose children are the fields.
    const inner = Object.values(userData).find(isNode);
    for (const [name, value] of Object.entries(inner ?? {})) {
      const text = textOf(value);
      if (!name.startsWith('@') && text !== null) fields.set(name, text);
    }
  }
  return fields;
}
