import { describe, expect, it } from 'vitest';
import {
  defaultManagerSocket,
  extensionSocketPath,
  isFileSocket,
  isNamedPipe,
  MAX_UNIX_SOCKET_BYTES,
  socketPathProblem,
} from '../../src/osquery/paths';

describe('extension endpoint paths', () => {
  it('appends .<uuid> to a unix socket (posix)', () => {
    expect(extensionSocketPath('/var/osquery/osquery.em', '31337')).toBe(
      '/var/osquery/osquery.em.31337',
    );
    expect(defaultManagerSocket('linux')).toBe('/var/osquery/osquery.em');
    expect(isFileSocket('/var/osquery/osquery.em.1', 'linux')).toBe(true);
  });

  it('appends .<uuid> to a named pipe (win32)', () => {
    expect(defaultManagerSocket('win32')).toBe('\\\\.\\pipe\\osquery.em');
    expect(extensionSocketPath('\\\\.\\pipe\\osquery.em', '7')).toBe('\\\\.\\pipe\\osquery.em.7');
    expect(isNamedPipe('\\\\.\\pipe\\osquery.em.7')).toBe(true);
    expect(isFileSocket('\\\\.\\pipe\\osquery.em.7', 'win32')).toBe(false);
  });

  it('refuses a unix path that would not fit in sun_path, saying how to fix it', () => {
    const long = `/tmp/${'d'.repeat(MAX_UNIX_SOCKET_BYTES)}/osquery.em`;
    expect(socketPathProblem(long, 'linux')).toMatch(/too long.*limit is 103.*shorter/);
    expect(socketPathProblem('/var/osquery/osquery.em', 'darwin')).toBeNull();
    // 97 bytes plus ".65535" is 103: the longest that fits.
    expect(socketPathProblem(`/${'a'.repeat(96)}`, 'linux')).toBeNull();
    expect(socketPathProblem(`/${'a'.repeat(97)}`, 'linux')).not.toBeNull();
  });

  it('on Windows wants a named pipe, of any length', () => {
    expect(socketPathProblem(`\\\\.\\pipe\\${'x'.repeat(150)}`, 'win32')).toBeNull();
    expect(socketPathProblem('C:\\osquery\\osquery.em', 'win32')).toMatch(/named pipe/);
  });
});
