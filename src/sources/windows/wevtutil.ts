import { execFile, type ChildProcess } from 'node:child_process';

/**
 * Runs `wevtutil` with an argument array (never through a shell: a channel name or query
 * cannot inject commands) and reads its output. `qe` is asked for `/uni:true`, so the XML
 * arrives as UTF-16LE whatever the console code page; output without NUL bytes is read as UTF-8.
 */

/** Why a channel cannot be read, with the fix for it. */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  constructor(
    readonly channel: string,
    readonly reason: 'missing' | 'denied' | 'no_wevtutil' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

// Win32 error codes wevtutil exits with.
const ERROR_ACCESS_DENIED = 5;
const ERROR_EVT_CHANNEL_NOT_FOUND = 15007;

const HINTS: Record<string, string> = {
  Security:
    'run the extension as an administrator (or a member of "Event Log Readers"); event 4689 also ' +
    'needs the audit policy: auditpol /set /subcategory:"Process Termination" /success:enable',
  System: 'run the extension as an administrator or a member of "Event Log Readers"',
  'Microsoft-Windows-Sysmon/Operational':
    'install Sysmon with a configuration that logs ProcessTerminate (event 5): sysmon -accepteula -i <config.xml>',
};

/** Tracks running children so a stopping source can end them. */
export class WevtutilRunner {
  private readonly children = new Set<ChildProcess>();

  constructor(
    private readonly executable: string,
    private readonly timeoutMs = 60_000,
  ) {}

  /** Runs wevtutil for `channel`; rejects with a ChannelError that says how to fix it. */
  run(channel: string, args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        this.executable,
        args,
        { encoding: 'buffer', maxBuffer: 256 << 20, timeout: this.timeoutMs, windowsHide: true },
        (err, stdout, stderr) => {
          this.children.delete(child);
          if (err) reject(this.explain(channel, err, decode(stderr)));
          else resolve(decode(stdout));
        },
      );
      this.children.add(child);
    });
  }

  /** Ends every running child. */
  killAll(): void {
    for (const child of this.children) child.kill();
    this.children.clear();
  }

  private explain(channel: string, err: Error & { code?: unknown }, stderr: string): ChannelError {
    const hint = HINTS[channel] ?? 'check the channel name with: wevtutil el';
    const said = stderr.trim().split(/\r?\n/)[0] ?? '';
    if (err.code === 'ENOENT') {
      return new ChannelError(
        channel,
        'no_wevtutil',
        `wevtutil was not found at "${this.executable}"; it ships with Windows in System32`,
      );
    }
    if (err.code === ERROR_EVT_CHANNEL_NOT_FOUND || /could not be found/i.test(stderr)) {
      return new ChannelError(
        channel,
        'missing',
        `event log channel "${channel}" does not exist: ${hint}`,
      );
    }
    if (err.code === ERROR_ACCESS_DENIED || /access is denied/i.test(stderr)) {
      return new ChannelError(
        channel,
        'denied',
        `event log channel "${channel}" is not readable: ${hint}`,
      );
    }
    return new ChannelError(
      channel,
      'failed',
      `wevtutil failed on channel "${channel}" (${String(err.code ?? err.message)}): ${said}`,
    );
  }
}

/** UTF-16LE (with or without a byte order mark) when the bytes hold NULs, else UTF-8. */
export function decode(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return bytes.subarray(2).toString('utf16le');
  }
  return bytes.includes(0) ? bytes.toString('utf16le') : bytes.toString('utf8');
}

/** `wevtutil gli` facts: the oldest record number and the record count. */
export interface LogInfo {
  oldest: number | null;
  count: number | null;
}

/** Reads `oldestRecordNumber:` and `numberOfLogRecords:` from `wevtutil gli` output. */
export function parseLogInfo(text: string): LogInfo {
  const value = (key: string) => {
    const m = new RegExp(`^\\s*${key}:\\s*(\\d+)\\s*$`, 'm').exec(text);
    return m?.[1] === undefined ? null : Number(m[1]);
  };
  return { oldest: value('oldestRecordNumber'), count: value('numberOfLogRecords') };
}

/**
 * The XPath for records after `after` (none: from the start) of one event id, no older than
 * `maxAgeMs` (so a long-stopped extension does not read days of history it would expire).
 */
export function queryFor(eventId: number, after: number | null, maxAgeMs: number): string {
  const parts = [`(EventID=${eventId})`];
  if (after !== null) parts.push(`(EventRecordID>${after})`);
  parts.push(`TimeCreated[timediff(@SystemTime) <= ${maxAgeMs}]`);
  return `*[System[${parts.join(' and ')}]]`;
}
