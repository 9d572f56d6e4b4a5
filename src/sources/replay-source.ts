import type { FormatName } from '../config/options';
import { clip, type Logger } from '../log';
import type { Clock } from '../model/clock';
import type { Termination } from '../model/termination';
import { readRows } from '../replay';
import { initialStatus, type EventSource, type SourceStatus, type TerminationSink } from './source';

/** Rows handed to the sink at once while a file is read. */
const BATCH = 512;

/**
 * Serves recorded files (audit logs, Windows event exports, eslogger lines) instead of a live
 * source, for analysts who load a collected log into osqueryi. `start` resolves at once and the
 * files are read in the background, in order; `state` is `starting` until the last row is in,
 * then `stopped` (nothing more will come) or `failed` with the reason in `last_error`.
 */
export class ReplaySource implements EventSource {
  readonly name = 'replay';
  private readonly state: SourceStatus = initialStatus('replay');
  private stopping = false;

  constructor(
    private readonly files: string[],
    private readonly options: { format: FormatName; logger: Logger; clock: Clock },
  ) {
    this.state.checkpoint = `${files.length} file(s)`;
  }

  async start(sink: TerminationSink): Promise<void> {
    void this.readAll(sink);
  }

  async stop(): Promise<void> {
    this.stopping = true;
  }

  status(): SourceStatus {
    return { ...this.state };
  }

  private async readAll(sink: TerminationSink): Promise<void> {
    const { format, logger, clock } = this.options;
    let batch: Termination[] = [];
    try {
      for await (const row of readRows(this.files, { format, logger, ingestClock: clock })) {
        if (this.stopping) return;
        batch.push(row);
        this.state.events_read++;
        if (batch.length >= BATCH) batch = this.emit(sink, batch);
      }
      this.emit(sink, batch);
      this.state.state = 'stopped';
      logger.info('replay finished', { files: this.files.length, rows: this.state.rows });
    } catch (err) {
      this.emit(sink, batch);
      this.state.state = 'failed';
      this.state.last_error = clip(err instanceof Error ? err.message : String(err));
      logger.error('replay failed', { error: this.state.last_error });
    }
  }

  private emit(sink: TerminationSink, rows: Termination[]): Termination[] {
    if (rows.length > 0) sink(rows);
    this.state.rows += rows.length;
    return [];
  }
}
