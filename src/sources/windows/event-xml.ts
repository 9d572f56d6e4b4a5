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

/**
 * Cuts a stream of rendered XML into one `<Event>...</Event>` text each. Events do not nest, so
 * an event ends at the first closing tag after its start. Text between events (the XML
 * declaration, `<Events>` wrappers) is dropped. An unfinished event is held back until more
 * text arrives, up to `maxEventChars`, after which it is dropped and counted.
 */
export class EventXmlSplitter {
  private pending = '';
  /** Unfinished events given up because they grew past the limit. */
  overflows = 0;

  constructor(private readonly maxEventChars = 1 << 20) {}

  /** Adds text; returns the events it completed, in order. */
  push(text: string): string[] {
    this.pending += text;
    const events: string[] = [];
    let consumed = 0;
    for (;;) {
      EVENT_OPEN.lastIndex = consumed;
      const open = EVENT_OPEN.exec(this.pending);
      if (!open) {
        consumed = Math.max(consumed, this.pending.lastIndexOf('<'));
        break;
      }
      EVENT_CLOSE.lastIndex = open.index;
      const close = EVENT_CLOSE.exec(this.pending);
      if (!close) {
        consumed = open.index;
        break;
      }
      events.push(this.pending.slice(open.index, close.index + close[0].length));
      consumed = close.index + close[0].length;
    }
    this.pending = this.pending.slice(consumed);
    if (this.pending.length > this.maxEventChars) {
      this.overflows++;
      this.pending = '';
    }
    return events;
  }

  /** True when an unfinished event is held back (at the end of input: a truncated event). */
  get holding(): boolean {
    EVENT_OPEN.lastIndex = 0;
    return EVENT_OPEN.test(this.pending);
  }
}

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
