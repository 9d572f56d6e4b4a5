/**
 * Audit's encoding of untrusted strings: a value that could hold a space, quote or control
 * byte is written either in double quotes or, when it holds such a byte, unquoted as uppercase
 * hex of its bytes (kernel `audit_log_untrustedstring`). Only fields known to be encoded this
 * way are decoded; any other unquoted value is kept as written.
 */
const HEX_FIELDS: ReadonlySet<string> = new Set([
  'comm',
  'exe',
  'ocomm',
  'proctitle',
  'cmd',
  'cwd',
  'name',
  'path',
  'dir',
  'key',
  'acct',
  'unit',
]);

/** True when an unquoted value of `key` is hex-encoded text (EXECVE passes `argv`). */
export function isHexField(key: string, argv: boolean): boolean {
  if (HEX_FIELDS.has(key)) return true;
  // EXECVE arguments a0, a1, ... and their a0[0] pieces; SYSCALL a0..a3 are numbers instead.
  return argv && key.length >= 2 && key.charCodeAt(0) === 97 && isDigit(key.charCodeAt(1));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True when `text` is a non-empty, even-length run of uppercase hex digits. */
export function isUpperHex(text: string): boolean {
  const n = text.length;
  if (n === 0 || n % 2 !== 0) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (!(isDigit(c) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/**
 * Hex text to a string: bytes decoded as UTF-8 (invalid sequences become U+FFFD), NUL bytes
 * (argument separators in a proctitle) become spaces, trailing NULs are dropped.
 */
export function decodeHex(hex: string): string {
  const text = Buffer.from(hex, 'hex').toString('utf8');
  if (text.indexOf('\0') < 0) return text;
  return text.replace(/\0+$/, '').replace(/\0/g, ' ');
}

/**
 * The low 32 bits of a hex register value (`a0=ffffffffffffffff`) as a signed int, the way
 * the kernel reads an `int`/`pid_t` argument. Null when the text is not hex.
 */
export function hexToInt32(hex: string): number | null {
  const n = hex.length;
  if (n === 0 || n > 16) return null;
  let v = 0;
  for (let i = n > 8 ? n - 8 : 0; i < n; i++) {
    const d = hexDigit(hex.charCodeAt(i));
    if (d < 0) return null;
    v = v * 16 + d;
  }
  for (let i = 0; i < n - 8; i++) if (hexDigit(hex.charCodeAt(i)) < 0) return null;
  return v | 0;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
