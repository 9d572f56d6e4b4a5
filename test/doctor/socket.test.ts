import { describe, expect, it } from 'vitest';
import { checkSocket } from '../../src/doctor/socket';
import { fakeHost } from './fake-host';

/** A path of exactly `n` bytes under /s/. */
const pathOf = (n: number) => `/s/${'x'.repeat(n - 3)}`;

// The extension listens on `<socket>.<uuid>`: 6 more bytes. Linux allows 107 path bytes,
// macOS 103, so 97 bytes fit both, 98-101 fit Linux only, 102 fits neither.
describe('checkSocket', () => {
  it.each([
    [97, 'ok'],
    [98, 'warn'],
    [101, 'warn'],
    [102, 'fail'],
  ])('a %i-byte socket path: %s', async (n, status) => {
    const socket = pathOf(n);
    expect(Buffer.byteLength(socket)).toBe(n);
    const [f] = await checkSocket(fakeHost({ stats: { [socket]: { mode: 0o140755 } } }), socket);
    expect(f?.status).toBe(status);
  });

  it('counts bytes, not characters', async () => {
    const socket = `/s/${'é'.repeat(50)}`; // 3 + 100 bytes
    const [f] = await checkSocket(fakeHost({}), socket);
    expect(f?.status).toBe('fail');
  });

  it('warns when nothing listens there', async () => {
    const [f] = await checkSocket(fakeHost({}), '/var/osquery/osquery.em');
    expect(f?.status).toBe('warn');
    expect(f?.detail).toContain('osqueryd is not running');
  });
});
