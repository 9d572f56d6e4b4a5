// Builds a large audit log from a real recorded one by repeating it, shifting each copy's audit
// serials and timestamps past the previous copy so every event stays unique and in order.
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';

// `msg=audit(SECONDS.MILLIS:SERIAL)`: the event id of an audit record (kernel audit.c).
const STAMP = /msg=audit\((\d+)\.(\d{3}):(\d+)\)/;

/** Splits each line around its event stamp; lines without one are kept verbatim. */
function parseLines(text) {
  const lines = text.split('\n').filter((l) => l.length > 0);
  return lines.map((line) => {
    const m = STAMP.exec(line);
    if (!m) return { line };
    const ms = Number(m[1]) * 1000 + Number(m[2]);
    return {
      head: line.slice(0, m.index),
      tail: line.slice(m.index + m[0].length),
      ms,
      serial: Number(m[3]),
    };
  });
}

function spans(parsed) {
  // DAEMON_* records carry auditd's own serials, not the kernel's: leave them out of the span.
  const stamped = parsed.filter((p) => p.ms !== undefined && !p.head.startsWith('type=DAEMON_'));
  if (stamped.length === 0) throw new Error('the source log has no msg=audit(...) stamps');
  const ms = stamped.map((p) => p.ms);
  const serials = stamped.map((p) => p.serial);
  return {
    // One extra second between copies, so no two copies' events share a time.
    msStep: Math.max(...ms) - Math.min(...ms) + 1000,
    serialStep: Math.max(...serials) - Math.min(...serials) + 1,
  };
}

function renderCopy(parsed, copy, step) {
  const out = [];
  for (const p of parsed) {
    if (p.ms === undefined) {
      out.push(p.line);
      continue;
    }
    const ms = p.ms + copy * step.msStep;
    const stamp = `msg=audit(${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}:${
      p.serial + copy * step.serialStep
    })`;
    out.push(p.head + stamp + p.tail);
  }
  return out.join('\n') + '\n';
}

/**
 * Writes `dest`: copies of `src` until at least `targetBytes`, each copy's times and serials
 * shifted beyond the previous copy. Resolves with { bytes, copies, lines }.
 */
export async function buildLog(src, dest, targetBytes) {
  const parsed = parseLines(readFileSync(src, 'latin1'));
  const step = spans(parsed);
  const out = createWriteStream(dest, { encoding: 'latin1' });
  let bytes = 0;
  let copies = 0;
  while (bytes < targetBytes) {
    const chunk = renderCopy(parsed, copies, step);
    bytes += Buffer.byteLength(chunk, 'latin1');
    copies += 1;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, copies, lines: copies * parsed.length };
}
