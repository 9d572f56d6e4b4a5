/**
 * Lost-event accounting from audit serial numbers. The kernel numbers events with one 32-bit
 * counter per boot, +1 per event, so on one node a serial that jumps ahead leaves holes.
 * Events are written out of serial order (the serial is taken when an event starts, records
 * are written when it ends), so a hole is only counted as lost once the newest serial is
 * {@link LATE_WINDOW} past it without the missing event arriving, or at the end of input.
 * Holes are kept as ranges, so an event costs O(1) however wide the gap (a late arrival
 * searches the open ranges, at most one per event of the window).
 *
 * Heuristic limits (docs/audit.md): a forward jump of more than {@link MAX_GAP} or a backward
 * jump of more than {@link LATE_WINDOW} is taken as a new sequence (reboot, auditd restart,
 * another log file, filtered input), not as loss; the counter wraps at 2^32. Filtered input
 * (`ausearch` output, a log of some rules only) has gaps by design: its `lost` counts the
 * events filtered out within {@link MAX_GAP} of each other, not loss. Events the kernel
 * dropped before numbering them, or that no rule matched, are invisible here.
 */
export const MAX_GAP = 1_000;
export const LATE_WINDOW = 1_000;
const WRAP = 0x1_0000_0000;

/** Missing serials [from, to], as positions on the node's unwrapped count. */
interface Hole {
  from: number;
  to: number;
}

/** Serial bookkeeping for one node. */
class Sequence {
  /** Serial of the newest event, -1 before the first. */
  private newest = -1;
  /** Unwrapped position of `newest`: grows by each forward step, never wraps. */
  private position = 0;
  /** Open holes, oldest first; all within LATE_WINDOW of `position` after each step. */
  holes: Hole[] = [];

  /** Records `serial`; returns how many missing serials became lost. */
  see(serial: number): number {
    if (this.newest < 0) {
      this.newest = serial;
      return 0;
    }
    const ahead = (serial - this.newest + WRAP) % WRAP;
    if (ahead === 0) return 0;
    if (ahead <= MAX_GAP) return this.advance(serial, ahead);
    if (WRAP - ahead <= LATE_WINDOW) {
      this.fill(this.position - (WRAP - ahead));
      return 0;
    }
    // A new sequence: the holes of the old one will never be filled.
    const lost = this.open();
    this.holes = [];
    this.newest = serial;
    return lost;
  }

  /** Serials still missing. */
  open(): number {
    let n = 0;
    for (const h of this.holes) n += h.to - h.from + 1;
    return n;
  }

  private advance(serial: number, ahead: number): number {
    if (ahead > 1) this.holes.push({ from: this.position + 1, to: this.position + ahead - 1 });
    this.position += ahead;
    this.newest = serial;
    // A hole more than LATE_WINDOW behind the newest can no longer be filled: lost.
    const limit = this.position - LATE_WINDOW - 1;
    let lost = 0;
    while (this.holes.length > 0) {
      const h = this.holes[0] as Hole;
      if (h.from > limit) break;
      if (h.to <= limit) {
        lost += h.to - h.from + 1;
        this.holes.shift();
      } else {
        lost += limit - h.from + 1;
        h.from = limit + 1;
        break;
      }
    }
    return lost;
  }

  /** A late event at `at`: takes it out of its hole, if it is in one. */
  private fill(at: number): void {
    for (let i = this.holes.length - 1; i >= 0; i--) {
      const h = this.holes[i] as Hole;
      if (at > h.to) return;
      if (at < h.from) continue;
      if (h.from === h.to) this.holes.splice(i, 1);
      else if (at === h.from) h.from++;
      else if (at === h.to) h.to--;
      else {
        this.holes.splice(i + 1, 0, { from: at + 1, to: h.to });
        h.to = at - 1;
      }
      return;
    }
  }
}

/** Lost-event counter over all nodes of a stream. */
export class SerialTracker {
  private readonly nodes = new Map<string, Sequence>();
  /** Events counted as lost so far. */
  lost = 0;

  /** Records the serial of a newly seen event of `node`. */
  see(node: string, serial: number): void {
    let seq = this.nodes.get(node);
    if (seq === undefined) {
      seq = new Sequence();
      this.nodes.set(node, seq);
    }
    this.lost += seq.see(serial);
  }

  /** End of input: every hole still open is lost. */
  finish(): void {
    for (const seq of this.nodes.values()) {
      this.lost += seq.open();
      seq.holes = [];
    }
  }
}
