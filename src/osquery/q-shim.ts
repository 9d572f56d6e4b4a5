/**
 * The bindings in extension/gen come from thrift 0.17's compiler and call `thrift.Q.defer()`
 * and `thrift.Q.fcall()`; node-thrift 0.24 no longer ships Q. This supplies both on native
 * promises. It must load before the generated modules, which read `thrift.Q` when loaded.
 */
// The real module object must be patched; `import * as` would give an interop copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import thrift = require('thrift');

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

function defer<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function fcall<T>(fn: (...args: unknown[]) => T | Promise<T>, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn(...args)));
}

const lib = thrift as unknown as { Q?: unknown };
lib.Q ??= { defer, fcall };
