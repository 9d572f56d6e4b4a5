#!/usr/bin/python3
"""A stand-in for osqueryd's extension manager, for end-to-end tests.

It plays osqueryd's side of the extension protocol with a second Thrift implementation
(Debian python3-thrift; bindings generated at start from extension/osquery.thrift):

* serves ExtensionManager on a unix socket (TBufferedTransport + TBinaryProtocol, one thread
  per connection): ping, registerExtension (random uint16 uuid, refuses a duplicate name with
  osquery's message), deregisterExtension, extensions(), options();
* launches the extension the way osqueryd autoloads one: `<command...> --socket S --timeout T
  --interval I --verbose <extra args>` with OSQUERY_EXTENSION=<its pid> in the environment;
* queries the extension as osqueryd does: a ping over one fresh connection, then the call over
  another; and pings it every interval like osqueryd's extension watcher.

Control: JSON lines on stdin, each with an "id", answered on stdout as {"id":N,"ok":true,
"result":...} or {"id":N,"ok":false,"error":"..."}. Commands: generate {table, constraints:
[{name,op,expr}]}, call {registry,item,request}, ping, extensions, drop_uuid (forget the
extension's uuid), shutdown_ext (call its shutdown()), stop_manager (close the manager socket and
every connection, remove it), signal {signal}, stop (SIGTERM the extension, wait, exit).
Events on stdout: ready, spawned {pid}, registered {uuid,name,tables,routes,ms},
deregistered {uuid}, ext_exit {code,signal}. The extension's stderr passes through to ours.

Usage: osqueryd_standin.py --socket PATH [--timeout S] [--interval S] [--no-verbose]
       [--exe-words N] -- COMMAND [ARGS...]
"""

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
IDL = os.path.join(HERE, "..", "..", "extension", "osquery.thrift")

OUT_LOCK = threading.Lock()


def emit(obj):
    """Writes one JSON line to stdout (the test reads these)."""
    with OUT_LOCK:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def load_bindings():
    """Generates the Python bindings of the IDL into a temp dir and imports them."""
    out = tempfile.mkdtemp(prefix="osq-standin-")
    subprocess.run(["thrift", "--gen", "py", "-out", out, IDL], check=True)
    sys.path.insert(0, out)


load_bindings()

from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402
from osquery.extensions import Extension, ExtensionManager  # noqa: E402
from osquery.extensions.ttypes import (  # noqa: E402
    ExtensionResponse,
    ExtensionStatus,
    InternalExtensionInfo,
    InternalOptionInfo,
)


class Manager:
    """ExtensionManager's handler: the registry of extensions, as osqueryd keeps it."""

    def __init__(self, socket_path):
        self.socket_path = socket_path
        self.lock = threading.Lock()
        self.registered = {}  # uuid -> InternalExtensionInfo
        self.routes = {}  # uuid -> registry
        self.spawned_at = None
        self.last_uuid = None

    def ping(self):
        return ExtensionStatus(code=0, message="OK")

    def call(self, registry, item, request):  # osqueryd's own registries are not played
        return ExtensionResponse(
            status=ExtensionStatus(code=1, message="Stand-in has no registry"), response=[]
        )

    def shutdown(self):
        pass

    def extensions(self):
        with self.lock:
            return dict(self.registered)

    def options(self):
        return {
            "extensions_timeout": InternalOptionInfo(value="3", default_value="3", type="string"),
            "extensions_interval": InternalOptionInfo(value="3", default_value="3", type="string"),
        }

    def registerExtension(self, info, registry):
        with self.lock:
            if any(e.name == info.name for e in self.registered.values()):
                emit({"event": "register_refused", "name": info.name})
                return ExtensionStatus(code=1, message="Duplicate extension registered")
            uuid = random.randint(1, 65535)
            while uuid in self.registered:
                uuid = random.randint(1, 65535)
            self.registered[uuid] = info
            self.routes[uuid] = registry
            self.last_uuid = uuid
        ms = None if self.spawned_at is None else int((time.time() - self.spawned_at) * 1000)
        emit(
            {
                "event": "registered",
                "uuid": str(uuid),
                "name": info.name,
                "version": info.version,
                "sdk_version": info.sdk_version,
                "min_sdk_version": info.min_sdk_version,
                "tables": sorted((registry or {}).get("table", {}).keys()),
                "routes": registry,
                "ms": ms,
            }
        )
        return ExtensionStatus(code=0, message="OK", uuid=uuid)

    def deregisterExtension(self, uuid):
        with self.lock:
            known = self.registered.pop(uuid, None) is not None
            self.routes.pop(uuid, None)
        emit({"event": "deregistered", "uuid": str(uuid), "known": known})
        if not known:
            return ExtensionStatus(code=1, message="No extension UUID registered")
        return ExtensionStatus(code=0, message="OK")

    def query(self, sql):  # osqueryd would run SQL; extensions here never ask
        return ExtensionResponse(status=ExtensionStatus(code=1, message="Not supported"))

    getQueryColumns = query

    def drop(self, uuid):
        with self.lock:
            self.registered.pop(uuid, None)


class ManagerServer:
    """A threaded unix-socket server whose connections can all be cut at once."""

    def __init__(self, path, handler):
        self.path = path
        self.processor = ExtensionManager.Processor(handler)
        self.conns = set()
        self.lock = threading.Lock()
        if os.path.exists(path):
            os.unlink(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(64)
        self.stopped = False
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.conns.add(conn)
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        tsock = TSocket.TSocket()
        tsock.handle = conn
        trans = TTransport.TBufferedTransport(tsock)
        proto = TBinaryProtocol.TBinaryProtocolAccelerated(trans)
        try:
            while True:
                self.processor.process(proto, proto)
        except Exception:
            pass
        finally:
            with self.lock:
                self.conns.discard(conn)
            try:
                conn.close()
            except OSError:
                pass

    def stop(self):
        self.stopped = True
        try:
            self.sock.close()
        except OSError:
            pass
        with self.lock:
            conns = list(self.conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if os.path.exists(self.path):
            os.unlink(self.path)


def ext_client(path, timeout_ms=5000):
    """A fresh connection to the extension, as osqueryd opens one per request."""
    sock = TSocket.TSocket(unix_socket=path)
    sock.setTimeout(timeout_ms)
    trans = TTransport.TBufferedTransport(sock)
    proto = TBinaryProtocol.TBinaryProtocolAccelerated(trans)
    client = Extension.Client(proto)
    trans.open()
    return client, trans


def with_ext(path, fn):
    """Runs fn(client) over a fresh connection to the extension."""
    client, trans = ext_client(path)
    try:
        return fn(client)
    finally:
        trans.close()


def status_json(st):
    return {"code": st.code, "message": st.message, "uuid": None if st.uuid is None else str(st.uuid)}


def context_json(routes, constraints):
    """The `context` of a generate request, serialized the way osqueryd's QueryContext is."""
    by_col = {}
    for c in constraints or []:
        by_col.setdefault(c["name"], []).append({"op": int(c["op"]), "expr": str(c["expr"])})
    entries = []
    names = [r.get("name") for r in routes if r.get("id", "column") == "column"]
    for name in names + [n for n in by_col if n not in names]:
        affinity = next((r.get("type", "TEXT") for r in routes if r.get("name") == name), "TEXT")
        entries.append({"name": name, "list": by_col.get(name, ""), "affinity": affinity})
    return json.dumps({"constraints": entries, "colsUsed": names})


class StandIn:
    def __init__(self, args, command):
        self.args = args
        self.command = command
        self.manager = Manager(args.socket)
        self.server = ManagerServer(args.socket, self.manager)
        self.proc = None

    def ext_path(self):
        uuid = self.manager.last_uuid
        if uuid is None:
            raise RuntimeError("the extension has not registered")
        return "%s.%d" % (self.args.socket, uuid)

    def wait_ext_socket(self, deadline_s=5.0):
        end = time.time() + deadline_s
        while time.time() < end:
            if self.manager.last_uuid is not None and os.path.exists(self.ext_path()):
                return self.ext_path()
            time.sleep(0.02)
        raise RuntimeError("the extension socket did not appear")

    def spawn(self):
        a = self.args
        # osqueryd puts its flags right after the executable; a command such as `node main.js`
        # counts as the executable (--exe-words), what follows it comes after the flags.
        words = a.exe_words or (2 if os.path.basename(self.command[0]).startswith("node") else 1)
        argv = list(self.command[:words])
        argv += ["--socket", a.socket, "--timeout", str(a.timeout), "--interval", str(a.interval)]
        if a.verbose:
            argv.append("--verbose")
        argv += self.command[words:]
        # osqueryd exports OSQUERY_EXTENSION=<the child's pid>; a shell that execs keeps its pid.
        shell = ["/bin/sh", "-c", 'OSQUERY_EXTENSION=$$; export OSQUERY_EXTENSION; exec "$@"', "sh"]
        self.manager.spawned_at = time.time()
        self.proc = subprocess.Popen(shell + argv, stdin=subprocess.DEVNULL, stdout=sys.stderr)
        emit({"event": "spawned", "pid": self.proc.pid, "argv": argv})
        self.reaper = threading.Thread(target=self.reap, daemon=True)
        self.reaper.start()

    def reap(self):
        rc = self.proc.wait()
        code = rc if rc >= 0 else None
        sig = signal.Signals(-rc).name if rc < 0 else None
        emit({"event": "ext_exit", "code": code, "signal": sig})

    def watch(self):
        """Pings the extension every interval over a fresh connection, as osqueryd does."""
        while True:
            time.sleep(self.args.interval)
            uuid = self.manager.last_uuid
            if uuid is None or self.proc is None or self.proc.poll() is not None:
                continue
            try:
                with_ext(self.ext_path(), lambda c: c.ping())
            except Exception as e:  # a failed ping is what osqueryd would log, not fatal here
                emit({"event": "watch_ping_failed", "error": str(e)})

    def generate(self, msg):
        path = self.wait_ext_socket()
        table = msg["table"]
        routes = self.manager.routes.get(self.manager.last_uuid, {}).get("table", {}).get(table, [])
        with_ext(path, lambda c: c.ping())
        ctx = context_json(routes, msg.get("constraints"))
        resp = with_ext(path, lambda c: c.call("table", table, {"action": "generate", "context": ctx}))
        return {"code": resp.status.code, "message": resp.status.message, "response": resp.response}

    def call(self, msg):
        path = self.wait_ext_socket()
        with_ext(path, lambda c: c.ping())
        req = msg.get("request") or {}
        resp = with_ext(path, lambda c: c.call(msg["registry"], msg["item"], req))
        st = resp.status
        return {"code": st.code, "message": st.message, "response": resp.response or []}

    def handle(self, msg):
        cmd = msg.get("cmd")
        if cmd == "generate":
            return self.generate(msg)
        if cmd == "call":
            return self.call(msg)
        if cmd == "ping":
            return status_json(with_ext(self.wait_ext_socket(), lambda c: c.ping()))
        if cmd == "extensions":
            return {str(k): v.name for k, v in self.manager.extensions().items()}
        if cmd == "drop_uuid":
            self.manager.drop(self.manager.last_uuid)
            return True
        if cmd == "shutdown_ext":
            with_ext(self.wait_ext_socket(), lambda c: c.shutdown())
            return True
        if cmd == "stop_manager":
            self.server.stop()
            return True
        if cmd == "signal":
            self.proc.send_signal(getattr(signal, msg.get("signal", "SIGTERM")))
            return True
        raise RuntimeError("unknown cmd %r" % cmd)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc is not None:
            self.reaper.join(2)
        self.server.stop()

    def serve_commands(self):
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            msg = json.loads(line)
            if msg.get("cmd") == "stop":
                break
            threading.Thread(target=self.answer, args=(msg,), daemon=True).start()
        else:
            msg = {"id": None}
        self.stop()
        emit({"id": msg.get("id"), "ok": True, "result": True})

    def answer(self, msg):
        try:
            emit({"id": msg.get("id"), "ok": True, "result": self.handle(msg)})
        except Exception as e:
            emit({"id": msg.get("id"), "ok": False, "error": "%s: %s" % (type(e).__name__, e)})


def main():
    p = argparse.ArgumentParser(description="osqueryd stand-in for extension tests")
    p.add_argument("--socket", required=True, help="manager socket path")
    p.add_argument("--timeout", type=int, default=3)
    p.add_argument("--interval", type=int, default=3)
    p.add_argument("--no-verbose", dest="verbose", action="store_false")
    p.add_argument("--exe-words", type=int, default=0, help="leading command words to keep first")
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    standin = StandIn(args, command)
    emit({"event": "ready", "socket": args.socket})
    if command:
        standin.spawn()
        threading.Thread(target=standin.watch, daemon=True).start()
    standin.serve_commands()


if __name__ == "__main__":
    main()
