/**
 * Lost-event accounting from audit serial numbers. The kernel numbers events with one 32-bit
 * counter per boot, +1 per event, so on one node a serial that jumps ahead leaves holes.
 * Events are written out of serial order (the serial is taken when an event starts, records
 * are written when it ends), so a hole is only counted as lost once the newest serial is
 * {@link LATE_WINDOW} past it without the missing event arriving, or at the end of input.
 *
 * Heuristic limits: a forward jump of more than {@link MAX_GAP} or a backward jump of more
 * than {@link LATE_WINDOW} is taken as a new sequence (reboot, auditd restart, another log
 * file), not as loss; the counter wraps at 2^32. Events the kernel dropped before numbering
 * them, or that a rule filtered out, are invisible here.
 */
export const MAX_GAP = 10_000;
export const LATE_WINDOW = 1_000;
const WRAP = 0x1_0000_0000;

/** Serial bookkeeping for one node. */
class Sequence {
  newest = -1;
  /** Missing serials, oldest first. */
  holes: number[] = [];

  /** Records `serial`; returns how many holes became lost. */
  see(serial: number): number {
    if (this.newest < 0) {
      this.newest = serial;
      return 0;
    }
    const ahead = (serial - this.newest + WRAP) % WRAP;
    if (ahead === 0) return 0;
    if (ahead <= MAX_GAP) return this.advance(serial, ahead);
    if (WRAP - ahead <= LATE_WINDOW) {
      const at = this.holes.indexOf(serial);
      if (at >= 0) this.holes.splice(at, 1);
      return 0;
    }
    // A new sequence: the holes of the old one will never be filled.
    const lost = this.holes.length;
    this.holes = [];
    this.newest = serial;
    return lost;
  }

  private advance(serial: number, ahead: number): number {
    for (let k = 1; k < ahead; k++) this.holes.push((this.newest + k) % WRAP);
    this.newest = serial;
    let lost = 0;
    while (this.holes.length > 0) {
      const hole = this.holes[0] as number;
      if ((serial - hole + WRAP) % WRAP <= LATE_WINDOW && this.holes.length <= MAX_GAP) break;
      this.holes.shift();
      lost++;
    }
    return lost;
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
      this.lost += seq.holes.length;
      seq.holes = [];
    }
  }
}
