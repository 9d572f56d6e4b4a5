/**
 * Where the extension's own endpoint lives, by platform. osqueryd's manager listens on
 * `--extensions_socket` (a unix socket on POSIX, a named pipe such as `\\.\pipe\osquery.em` on
 * Windows) and each extension serves on that path plus `.<uuid>` (osquery's
 * getExtensionSocket). Pure functions: the platform is a parameter so both are unit-tested.
 */

/**
 * The longest unix socket path we accept, in bytes. `sun_path` holds 104 bytes on macOS and
 * the BSDs and 108 on Linux, NUL included; the extension's path is the manager's plus
 * `.<uuid>` (up to 6 more bytes for osquery's 16-bit uuids).
 */
export const MAX_UNIX_SOCKET_BYTES = 103;

/** True when `path` names a Windows named pipe rather than a file-system socket. */
export function isNamedPipe(path: string): boolean {
  return /^[\\/]{2}[.?][\\/]pipe[\\/]/i.test(path);
}

/** osqueryd's default manager endpoint on each platform. */
export function defaultManagerSocket(platform: NodeJS.Platform): string {
  return platform === 'win32' ? '\\\\.\\pipe\\osquery.em' : '/var/osquery/osquery.em';
}

/** The endpoint this extension serves on once the manager has given it `uuid`. */
export function extensionSocketPath(managerPath: string, uuid: string): string {
  return `${managerPath}.${uuid}`;
}

/**
 * Checks that the manager path can work on `platform`; returns an error message saying what
 * to change, or null. `reserve` counts the bytes our own suffix will add.
 */
export function socketPathProblem(
  managerPath: string,
  platform: NodeJS.Platform,
  reserve = 6,
): string | null {
  if (platform === 'win32') {
    if (isNamedPipe(managerPath)) return null;
    return `socket ${managerPath} is not a named pipe: on Windows pass --socket \\\\.\\pipe\\<name> (osqueryd's --extensions_socket)`;
  }
  const bytes = Buffer.byteLength(managerPath) + reserve;
  if (bytes <= MAX_UNIX_SOCKET_BYTES) return null;
  return (
    `socket path ${managerPath} is too long for a unix socket: with our .<uuid> suffix it needs ` +
    `${bytes} bytes, the limit is ${MAX_UNIX_SOCKET_BYTES}; use a shorter --extensions_socket ` +
    `for osqueryd (for example /var/osquery/osquery.em)`
  );
}

/** True when the endpoint is a file we must chmod and remove (unix sockets, not pipes). */
export function isFileSocket(path: string, platform: NodeJS.Platform): boolean {
  return platform !== 'win32' && !isNamedPipe(path);
}
