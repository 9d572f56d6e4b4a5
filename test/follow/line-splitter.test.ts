import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/follow/line-splitter';

describe('LineSplitter', () => {
  it('returns complete lines with the byte offset of their first byte', () => {
    const s = new LineSplitter();
    // "ab\n" is bytes 0-2, "cde\n" bytes 3-6.
    expect(s.push(Buffer.from('ab\ncde\n'), 0)).toEqual([
      { text: 'ab', offset: 0 },
      { text: 'cde', offset: 3 },
    ]);
    expect(s.consumed).toBe(7);
  });

  it('holds a last line without its newline until the newline arrives', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.from('ab\ncd'), 0)).toEqual([{ text: 'ab', offset: 0 }]);
    expect(s.pendingBytes).toBe(2);
    expect(s.consumed).toBe(3);
    expect(s.push(Buffer.from('e\nf'), 5)).toEqual([{ text: 'cde', offset: 3 }]);
    expect(s.consumed).toBe(7);
  });

  it('counts offsets in bytes, not characters', () => {
    const s = new LineSplitter();
    // "é" is two bytes in UTF-8, so the second line starts at byte 4.
    expect(s.push(Buffer.from('é\nx\n'), 10)).toEqual([
      { text: 'é', offset: 10 },
      { text: 'x', offset: 13 },
    ]);
  });

  it('releases a line longer than the limit so memory stays bounded', () => {
    const s = new LineSplitter(4);
    expect(s.push(Buffer.from('abcdefgh'), 0)).toEqual([{ text: 'abcdefgh', offset: 0 }]);
    expect(s.pendingBytes).toBe(0);
  });

  it('starts over at a given offset after reset', () => {
    const s = new LineSplitter();
    s.push(Buffer.from('partial'), 0);
    s.reset(0);
    expect(s.push(Buffer.from('new\n'), 0)).toEqual([{ text: 'new', offset: 0 }]);
  });
});
