import { systemClock, type Clock } from '../../model/clock';
import type { Termination } from '../../model/termination';
import { clip, silentLogger, type Logger } from '../../log';
import {
  initialStatus,
  type EventSource,
  type SourceStatus,
  type TerminationSink,
} from '../source';
import { BookmarkStore, type Bookmarks } from './bookmark';
import { WindowsXmlDecoder } from './decoders';
import { ChannelError, parseLogInfo, queryFor, WevtutilRunner } from './wevtutil';

/** The channels this source follows and the one event id it wants from each. */
export const WINDOWS_CHANNELS: Readonly<Record<string, number>> = {
  Security: 4689,
  System: 7036,
  'Microsoft-Windows-Sysmon/Operational': 5,
};

export interface WindowsSourceOptions {
  /** Path of wevtutil (default `wevtutil`, found on PATH); injectable for tests. */
  wevtutil?: string;
  /** Channels to follow, a subset of WINDOWS_CHANNELS (default all three). */
  channels?: readonly string[];
  /** Poll interval (default 3000 ms). */
  intervalMs?: number;
  /** Events older than this are not read, on first start or after a long stop (default 3600). */
  retentionSeconds?: number;
  /** Directory of the bookmark file; without one a restart reads the retention window again. */
  stateDir?: string | null;
  /** Events asked of wevtutil at a time; a full batch is followed at once by the next. */
  batchSize?: number;
  /** How often an idle channel is checked for having been cleared (default 60000 ms). */
  clearCheckMs?: number;
  logger?: Logger;
  clock?: Clock;
}

/**
 * Follows the Security (4689), System (7036) and Sysmon (5) event logs by polling `wevtutil
 * qe` for records after a per-channel bookmark (EventRecordID), oldest first. Rows of one
 * channel come in record order; channels are polled one after another. The bookmark is saved
 * after each batch reached the sink, so a restart neither loses nor repeats events. A channel
 * that is missing or unreadable at start is skipped with a warning (state `degraded`); `start`
 * rejects only when no channel can be read. A log cleared under the source (its record numbers
 * start again from 1) is noticed by `wevtutil gli` and read from its start.
 */
export class WindowsEventLogSource implements EventSource {
  readonly name = 'windows';
  private readonly statusRecord: SourceStatus = initialStatus('windows');
  private readonly runner: WevtutilRunner;
  private readonly store: BookmarkStore;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly decoder: WindowsXmlDecoder;
  private bookmarks: Bookmarks = {};
  private channels: string[] = [];
  private readonly lastClearCheck = new Map<string, number>();
  private sink: TerminationSink = () => undefined;
  private timer: NodeJS.Timeout | null = null;
  private cycle: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: WindowsSourceOptions = {}) {
    this.runner = new WevtutilRunner(options.wevtutil ?? 'wevtutil');
    this.store = new BookmarkStore(options.stateDir ?? null);
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.decoder = new WindowsXmlDecoder({ logger: this.logger, ingestClock: this.clock });
  }

  async start(sink: TerminationSink): Promise<void> {
    this.sink = sink;
    this.stopped = false;
    this.bookmarks = await this.store.load();
    this.channels = await this.readableChannels();
    this.cycle = this.pollAll();
    await this.cycle;
    if (this.statusRecord.state === 'starting') this.statusRecord.state = 'running';
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.runner.killAll();
    await this.cycle.catch(() => undefined);
    this.statusRecord.state = 'stopped';
  }

  status(): SourceStatus {
    const s = this.statusRecord;
    s.events_read = this.decoder.stats.events;
    s.parse_errors = this.decoder.stats.parseErrors;
    s.checkpoint = Object.entries(this.bookmarks)
      .map(([channel, id]) => `${channel}=${id}`)
      .join(' ');
    return { ...s };
  }

  /** Probes each channel with `wevtutil gli`; keeps the readable ones. */
  private async readableChannels(): Promise<string[]> {
    const wanted = this.options.channels ?? Object.keys(WINDOWS_CHANNELS);
    const readable: string[] = [];
    const problems: string[] = [];
    for (const channel of wanted) {
      if (WINDOWS_CHANNELS[channel] === undefined) {
        problems.push(
          `unknown channel "${channel}"; expected one of ${Object.keys(WINDOWS_CHANNELS).join(', ')}`,
        );
        continue;
      }
      try {
        await this.checkCleared(channel);
        readable.push(channel);
      } catch (err) {
        if (!(err instanceof ChannelError) || err.reason === 'no_wevtutil') throw err;
        problems.push(err.message);
        this.logger.warn('skipping an event log channel', { channel, reason: err.message });
      }
    }
    if (readable.length === 0)
      throw new Error(`no Windows event log channel can be read:\n  ${problems.join('\n  ')}`);
    if (problems.length > 0) this.degrade(problems.join('; '));
    return readable;
  }

  /** Resets a channel's bookmark when the log's newest record is older than it (log cleared). */
  private async checkCleared(channel: string): Promise<void> {
    this.lastClearCheck.set(channel, this.clock.now());
    const info = parseLogInfo(await this.runner.run(channel, ['gli', channel]));
    const mark = this.bookmarks[channel];
    if (mark === undefined || info.oldest === null || info.count === null) return;
    const newest = info.count === 0 ? 0 : info.oldest + info.count - 1;
    if (newest < mark) {
      this.logger.warn('event log was cleared; reading it from its start', {
        channel,
        bookmark: mark,
        newest,
      });
      this.bookmarks = Object.fromEntries(
        Object.entries(this.bookmarks).filter(([name]) => name !== channel),
      );
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.cycle = this.pollAll().finally(() => this.schedule());
    }, this.options.intervalMs ?? 3000);
  }

  private async pollAll(): Promise<void> {
    for (const channel of this.channels) {
      if (this.stopped) return;
      try {
        await this.pollChannel(channel);
      } catch (err) {
        if (this.stopped) return;
        this.degrade((err as Error).message);
        this.logger.warn('could not read an event log channel', {
          channel,
          reason: clip((err as Error).message),
        });
      }
    }
  }

  /** Reads batches until one comes back short; saves the bookmark after each. */
  private async pollChannel(channel: string): Promise<void> {
    const batch = this.options.batchSize ?? 500;
    for (;;) {
      const { rows, count, last } = await this.readBatch(channel, batch);
      if (this.stopped) return;
      if (rows.length > 0) this.emit(rows);
      if (last !== null) {
        this.bookmarks[channel] = last;
        await this.store.save(this.bookmarks);
      }
      if (count < batch) break;
    }
    const since = this.clock.now() - (this.lastClearCheck.get(channel) ?? 0);
    if (since >= (this.options.clearCheckMs ?? 60_000)) await this.checkCleared(channel);
  }

  private async readBatch(channel: string, batch: number) {
    const eventId = WINDOWS_CHANNELS[channel] ?? 0;
    const maxAgeMs = (this.options.retentionSeconds ?? 3600) * 1000;
    const query = queryFor(eventId, this.bookmarks[channel] ?? null, maxAgeMs);
    const args = [
      'qe',
      channel,
      `/q:${query}`,
      '/f:xml',
      '/e:Events',
      '/rd:false',
      `/c:${batch}`,
      '/uni:true',
    ];
    const xml = await this.runner.run(channel, args);
    const before = this.decoder.stats.events;
    this.decoder.lastRecordId = null;
    const rows = [...this.decoder.push(xml), ...this.decoder.end()];
    return { rows, count: this.decoder.stats.events - before, last: this.decoder.lastRecordId };
  }

  private emit(rows: Termination[]): void {
    this.statusRecord.rows += rows.length;
    const newest = Math.max(...rows.map((r) => r.time));
    this.statusRecord.lag_ms = Math.max(0, this.clock.now() - newest * 1000);
    this.sink(rows);
  }

  private degrade(reason: string): void {
    this.statusRecord.state = 'degraded';
    this.statusRecord.last_error = reason;
  }
}
