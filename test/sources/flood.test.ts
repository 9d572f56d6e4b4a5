import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProcessTerminationsTable } from '../../src/tables/process-terminations';
import { createStatusTable } from '../../src/tables/status';
import { emptyQueryContext } from '../../src/tables/table';
import { tempDir, until } from '../follow/helpers';
import { exitEvent, stamps, text } from './audit-lines';
import { startSource } from './harness';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const EVENTS = 100_000;
const BATCH = 2_000;
const MAX = 5_000;

describe('AuditLogSource under a flood', () => {
  it('keeps memory bounded, counts drops, and answers queries within 1 s', async () => {
    const log = join(tmp.dir, 'audit.log');
    writeFileSync(log, '');
    const limits = { retentionSeconds: 3600, maxEvents: MAX };
    const { source, buffer } = await startSource(log, null, limits);
    const table = createProcessTerminationsTable(buffer);
    const status = createStatusTable({ buffer, sources: [source], maxEvents: MAX });
    const heapBefore = process.memoryUsage().heapUsed;
    let slowest = 0;
    let heapPeak = 0;
    const probe = setInterval(() => {
      const asked = performance.now();
      void Promise.resolve(table.generate(emptyQueryContext)).then(() => {
        slowest = Math.max(slowest, performance.now() - asked);
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      });
    }, 100);

    const next = stamps(1);
    for (let done = 0; done < EVENTS; done += BATCH) {
      const lines: string[] = [];
      for (let i = 0; i < BATCH; i++) lines.push(...exitEvent(next(), 10_000 + done + i, i % 256));
      appendFileSync(log, text(lines));
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => source.status().rows === EVENTS, 30_000);
    clearInterval(probe);

    expect(buffer.size).toBe(MAX);
    const [row] = await status.generate(emptyQueryContext);
    expect(row).toMatchObject({ rows_buffered: String(MAX), dropped: String(EVENTS - MAX) });
    expect(slowest).toBeLessThan(1000);
    // 5,000 rows are a few MB; a buffer that kept all 100,000 would add far more than this.
    expect(heapPeak - heapBefore).toBeLessThan(150 * 1024 * 1024);
    await source.stop();
  }, 60_000);
});
