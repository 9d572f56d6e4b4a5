import { describe, expect, it } from 'vitest';
import { fieldValue, newHeader, parseFields, parseHeader } from '../../src/audit/parse-record';
import { RecordType, recordTypeNumber } from '../../src/audit/record-types';
import { hexToInt32 } from '../../src/audit/hex';

const GS = '\x1d';

function parse(line: string) {
  const h = newHeader();
  if (!parseHeader(line, h)) throw new Error(`not a record: ${line}`);
  return { h, f: parseFields(line, h.bodyStart, h.type) };
}

describe('parseHeader', () => {
  it('reads type, time and serial', () => {
    const { h } = parse('type=EOE msg=audit(1700000000.123:42): ');
    expect(h).toMatchObject({ node: '', type: 1320, sec: 1700000000, msec: 123, serial: 42 });
  });

  it('reads a node= prefix', () => {
    const { h, f } = parse('node=web-1 type=SYSCALL msg=audit(1.002:7): arch=c000003e syscall=62');
    expect(h.node).toBe('web-1');
    expect(h.type).toBe(RecordType.SYSCALL);
    expect(h.msec).toBe(2);
    expect(f.syscall).toBe('62');
  });

  it('accepts no space after "):"', () => {
    const { h, f } = parse('type=OBJ_PID msg=audit(5.500:9):opid=12 ocomm="sh"');
    expect(h.serial).toBe(9);
    expect(f.opid).toBe('12');
    expect(f.ocomm).toBe('sh');
  });

  it.each([
    ['UNKNOWN[1334]', 1334],
    ['1327', 1327],
    ['PROCTITLE', 1327],
    ['NOT_A_TYPE', 0],
    ['UNKNOWN[12', 0],
  ])('type token %s is %i', (token, n) => {
    expect(recordTypeNumber(token)).toBe(n);
    const h = newHeader();
    expect(parseHeader(`type=${token} msg=audit(1.000:1): a=b`, h)).toBe(true);
    expect(h.type).toBe(n);
  });

  it.each([
    'garbage',
    'type=SYSCALL msg=audit(1700000000.123): no serial',
    'type=SYSCALL msg=audit(:5): no time',
    'type=SYSCALL',
    '',
  ])('rejects %j', (line) => {
    expect(parseHeader(line, newHeader())).toBe(false);
  });
});

describe('parseFields', () => {
  it('keeps a quoted a2="3005" as the string 3005', () => {
    const { f } = parse('type=EXECVE msg=audit(1.000:1): argc=3 a0="sleep" a1="-n" a2="3005"');
    expect(f.a2).toBe('3005');
  });

  it('decodes a hex comm holding a space', () => {
    // 73 6C 65 65 70 20 31 = "sleep 1"
    const { f } = parse('type=SYSCALL msg=audit(1.000:1): pid=5 comm=736C6565702031 exe="/bin/x"');
    expect(f.comm).toBe('sleep 1');
    expect(f.exe).toBe('/bin/x');
  });

  it('decodes unquoted EXECVE arguments but not SYSCALL arguments', () => {
    // 61 20 62 = "a b"
    expect(parse('type=EXECVE msg=audit(1.000:1): argc=1 a0=612062').f.a0).toBe('a b');
    expect(parse('type=SYSCALL msg=audit(1.000:1): a0=612062').f.a0).toBe('612062');
  });

  it('turns NULs of a proctitle into spaces', () => {
    // 62 61 73 68 00 2D 63 = "bash\0-c"
    expect(parse('type=PROCTITLE msg=audit(1.000:1): proctitle=62617368002D63').f.proctitle).toBe(
      'bash -c',
    );
  });

  it('keeps broken hex as written', () => {
    expect(parse('type=SYSCALL msg=audit(1.000:1): comm=ABC').f.comm).toBe('ABC');
    expect(parse('type=SYSCALL msg=audit(1.000:1): comm=7G').f.comm).toBe('7G');
  });

  it('reads ?, (null) and (none) as unknown', () => {
    const { f } = parse('type=SYSCALL msg=audit(1.000:1): tty=(none) key=(null) exe=? pid=1');
    expect(f.tty).toBeNull();
    expect(f.key).toBeNull();
    expect(f.exe).toBeNull();
    expect(f.pid).toBe('1');
  });

  it('splits the ENRICHED part at the 0x1D byte', () => {
    const line = `type=SYSCALL msg=audit(1.000:1): syscall=62 uid=0 key="k"${GS}ARCH=x86_64 SYSCALL=kill UID="root"`;
    const { f } = parse(line);
    expect(f.key).toBe('k');
    expect(f.uid).toBe('0');
    expect(f.SYSCALL).toBe('kill');
    expect(f.UID).toBe('root');
    expect(f.ARCH).toBe('x86_64');
  });

  it('does not hex-decode ENRICHED values', () => {
    const line = `type=X msg=audit(1.000:1): a=1${GS}comm=4142`;
    expect(parse(line).f.comm).toBe('4142');
  });

  it("opens a user-space msg='...'", () => {
    const line =
      'type=SERVICE_STOP msg=audit(1.000:1): pid=1 uid=0 auid=4294967295 ses=4294967295 ' +
      'msg=\'unit=cron.service comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? ' +
      `addr=? terminal=? res=success'${GS}UID="root" AUID="unset"`;
    const { f } = parse(line);
    expect(f).toMatchObject({ pid: '1', unit: 'cron.service', comm: 'systemd', res: 'success' });
    expect(f.exe).toBe('/usr/lib/systemd/systemd');
    expect(f.hostname).toBeNull();
    expect(f.UID).toBe('root');
  });

  it('skips words without "=" (AVC text)', () => {
    const { f } = parse('type=AVC msg=audit(1.000:1): avc:  denied  { read } for  pid=3 comm="a"');
    expect(f.pid).toBe('3');
    expect(f.comm).toBe('a');
  });

  it('keeps the first of two equal names', () => {
    expect(parse('type=X msg=audit(1.000:1): a=1 a=2').f.a).toBe('1');
  });
});

describe('fieldValue', () => {
  const line =
    `type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=62 ppid=10 pid=11 auid=4294967295 ` +
    `tty=(none) comm=736C6565702031 exe="/usr/bin/sleep" key="a=b" a0=4142${GS}SYSCALL=kill UID="root" comm=4142`;
  const h = newHeader();
  parseHeader(line, h);
  const sep = line.indexOf(GS);

  it.each([
    ['arch', 'c000003e'],
    ['pid', '11'],
    ['ppid', '10'],
    ['comm', 'sleep 1'],
    ['exe', '/usr/bin/sleep'],
    ['a0', '4142'],
    ['UID', 'root'],
    ['SYSCALL', 'kill'],
    ['uid', undefined],
    ['tty', null],
    ['key', 'a=b'],
    ['b', undefined],
  ])('reads %s as parseFields does', (key, value) => {
    expect(fieldValue(line, h.bodyStart, key, sep)).toBe(value);
    expect(parseFields(line, h.bodyStart, h.type)[key]).toBe(value);
  });

  it('copes with an unclosed quote and a value at the end', () => {
    expect(fieldValue('type=X msg=audit(1.000:1): a="xy', 27, 'a', -1)).toBe('xy');
    expect(fieldValue('type=X msg=audit(1.000:1): b=1 a=', 27, 'a', -1)).toBe('');
  });
});

describe('hexToInt32', () => {
  it.each([
    ['7', 7],
    ['ffa', 4090],
    ['ffffffff', -1],
    ['ffffffffffffffff', -1],
    ['fffffffffffff00c', -4084],
    ['100000007', 7],
    ['', null],
    ['xyz', null],
    ['zzffffffff', null],
  ])('%j is %j', (hex, n) => {
    expect(hexToInt32(hex)).toBe(n);
  });
});
