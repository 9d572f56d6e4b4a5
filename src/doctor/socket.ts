import type { Finding } from './finding';
import type { Host } from './host';

/**
 * Longest unix socket path that still works everywhere: Linux has 108 bytes for sun_path and
 * macOS 104, each including the terminating NUL.
 */
export const SOCKET_PATH_MAX_LINUX = 107;
export const SOCKET_PATH_MAX_MACOS = 103;

/** osqueryd serves each extension on `<manager socket>.<route uuid>`; the uuid has up to 5 digits. */
const EXTENSION_SUFFIX_BYTES = 6;

/**
 * Checks the manager socket path osqueryd and the extension will use: the extension's own
 * socket (manager path plus suffix) must fit in sun_path, and the manager socket should exist
 * when osqueryd is running.
 */
export async function checkSocket(host: Host, socket: string): Promise<Finding[]> {
  const check = 'osquery.socket';
  const longest = Buffer.byteLength(socket) + EXTENSION_SUFFIX_BYTES;
  const fix =
    'use a shorter --extensions_socket for osqueryd (the default /var/osquery/osquery.em works)';
  if (longest > SOCKET_PATH_MAX_LINUX) {
    const detail = `${socket} is too long: the extension socket needs ${longest} bytes, unix sockets allow ${SOCKET_PATH_MAX_LINUX}`;
    return [{ check, status: 'fail', detail, fix }];
  }
  if (longest > SOCKET_PATH_MAX_MACOS) {
    const detail = `${socket} needs ${longest} bytes with the extension suffix: too long for macOS (${SOCKET_PATH_MAX_MACOS})`;
    return [{ check, status: 'warn', detail, fix }];
  }
  const st = await host.stat(socket);
  if (!st) {
    const detail = `${socket} does not exist: osqueryd is not running or uses another --extensions_socket`;
    return [{ check, status: 'warn', detail, fix: 'start osqueryd, or pass doctor --socket PATH' }];
  }
  return [
    { check, status: 'ok', detail: `${socket} exists and its length (${longest} bytes) fits` },
  ];
}
