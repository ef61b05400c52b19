"""The product and the bare baseline served over HTTP by gunicorn, each in its own processes, both with
the product's own settings (gunicorn.conf.py at the repository root: workers, threads, timeouts, worker
restarts), on free ports of 127.0.0.1, with the same environment; stopped at the end whatever happens.

The product is `app:create_app()`, exactly as the Procfile serves it; the baseline is
`national_bench.baseline:from_env()`, its captured recipes pickled to a file named by BENCH_RECIPES.
Their logs (gunicorn's and the app's line per request) go to files in a temporary directory, kept
and named when something fails."""
from __future__ import annotations

import contextlib
import http.client
import os
import pickle
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from national_bench.baseline import RECIPES_ENV
from national_bench.dataset import BASE_DOMAIN, ROOT

CONF = ROOT / "gunicorn.conf.py"
PRODUCT = "app:create_app()"
BASELINE = "national_bench.baseline:from_env()"


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path


@dataclass
class Served:
    product: int  # ports on 127.0.0.1
    baseline: int
    workers: int
    threads: int

    def describe(self) -> str:
        kind = "sync" if self.threads == 1 else "gthread"
        return (f"served by gunicorn (gunicorn.conf.py): product {PRODUCT} and baseline each {self.workers} "
                f"workers × {self.threads} thread{'s' if self.threads > 1 else ''} ({kind}), on 127.0.0.1; "
                f"HTTP clients in this process")


def settings() -> tuple[int, int]:
    """Workers and threads as gunicorn.conf.py sets them in this environment (WEB_CONCURRENCY…)."""
    conf = runpy.run_path(str(CONF))
    return int(conf.get("workers", 1)), int(conf.get("threads", 1))


def environment(wilayah: Path | None) -> dict[str, str]:
    """This process's environment (the database URLs bench_national exported) with the settings the
    in-process app the SQL was captured with has: the bench's domain, no Redis (jobs run inline)."""
    env = dict(os.environ)
    env.pop("PORT", None)  # the bind is given on the command line
    env.pop("REDIS_URL", None)
    env["BASE_DOMAIN"] = BASE_DOMAIN
    if wilayah:
        env["WILAYAH_DIR"] = str(wilayah)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(name: str, target: str, env: dict, workdir: Path, extra: tuple[str, ...] = ()) -> Server:
    port = free_port()
    log = workdir / f"{name}.log"
    # no control socket: gunicorn's default path is one per user, and the two servers would share it
    command = [sys.executable, "-m", "gunicorn", "-c", str(CONF), "--bind", f"127.0.0.1:{port}",
               "--no-control-socket", *extra, target]
    with open(log, "wb") as out:  # the child keeps its own descriptor
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    return Server(name, port, process, log)


def tail(server: Server, lines: int = 25) -> str:
    try:
        return "\n".join(server.log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def wait_ready(server: Server, path: str, timeout: float = 120) -> None:
    """Until the server answers anything at all over HTTP (a 404 will do)."""
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name}: gunicorn exited with {server.process.returncode}:\n{tail(server)}")
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            conn.request("GET", path, headers={"Host": BASE_DOMAIN})
            conn.getresponse().read()
            return
        except (OSError, http.client.HTTPException):
            if time.monotonic() > deadline:
                raise SystemExit(f"{server.name}: no answer on port {server.port} in {timeout:.0f} s:\n"
                                 f"{tail(server)}") from None
            time.sleep(0.25)
        finally:
            conn.close()


def stop(server: Server) -> None:
    """SIGTERM to the master (graceful: its idle workers leave at once), SIGKILL to its group after 40 s."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


def _terminated(_signum, _frame) -> None:
    raise SystemExit(143)  # so a `kill` of the bench still runs the `finally` that stops the servers


@contextlib.contextmanager
def served(recipes: dict, wilayah: Path | None, echo) -> Iterator[Served]:
    workdir = Path(tempfile.mkdtemp(prefix="bench_national_"))
    with open(workdir / "recipes.pickle", "wb") as f:
        pickle.dump(recipes, f)
    env = environment(wilayah) | {RECIPES_ENV: str(workdir / "recipes.pickle")}
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main else None
    servers: list[Server] = []
    finished = False
    try:
        servers.append(start("product", PRODUCT, env, workdir))
        servers.append(start("baseline", BASELINE, env, workdir, ("--pythonpath", str(ROOT / "scripts"))))
        wait_ready(servers[0], "/healthz")
        wait_ready(servers[1], "/")
        workers, threads = settings()
        yield Served(servers[0].port, servers[1].port, workers, threads)
        finished = True
    finally:
        for server in servers:
            stop(server)
        if main:
            signal.signal(signal.SIGTERM, previous)
        if finished:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            echo(f"  the servers' logs are kept in {workdir}")
