"""Starting and watching the processes of a load run: gunicorn servers, the mock, their cost.

This module owns everything about child processes: picking loopback ports, starting a server
with its own environment and working directory, waiting until it answers, stopping it (its
whole process group), and reading what a process tree costs from ``/proc`` (CPU seconds and
resident memory, sampled in a background thread for the peak). Reading ``/proc`` directly keeps
the harness free of extra dependencies; it needs Linux, which is what the benchmarks run on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")
HOST = "127.0.0.1"


def free_port() -> int:
    """A loopback TCP port that is free right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants that are alive now."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is not None:
            children.setdefault(int(stat[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _stat(pid: int) -> list[str] | None:
    """Fields of ``/proc/<pid>/stat`` after the command name (index 0 is the state)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU seconds used so far by these processes."""
    total = 0
    for pid in pids:
        stat = _stat(pid)
        if stat is not None:
            total += int(stat[11]) + int(stat[12])
    return total / _TICKS


def rss_bytes(pids: list[int]) -> int:
    """Resident memory of these processes, added up."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    return total


@dataclass
class Service:
    """A server started in its own process group.

    Attributes:
        name: A label for messages.
        port: Where it listens.
        proc: The process (gunicorn's master, or the mock).
        log: Its combined output file.
    """

    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path
    _sampler: threading.Thread | None = field(default=None, repr=False)
    _sampling: threading.Event = field(default_factory=threading.Event, repr=False)
    peak_rss: int = 0

    @property
    def url(self) -> str:
        """The base URL, without a trailing slash."""
        return f"http://{HOST}:{self.port}"

    def pids(self) -> list[int]:
        """The server's process tree (master and workers)."""
        return tree(self.proc.pid)

    def worker_pids(self) -> list[int]:
        """The processes under the master (gunicorn's workers)."""
        return [p for p in self.pids() if p != self.proc.pid]

    def cpu(self) -> float:
        """CPU seconds the whole tree used so far."""
        return cpu_seconds(self.pids())

    def start_sampling(self, every: float = 0.2) -> None:
        """Sample the tree's resident memory in the background, keeping the peak."""
        self._sampling.clear()

        def run() -> None:
            while not self._sampling.wait(every):
                self.peak_rss = max(self.peak_rss, rss_bytes(self.pids()))

        self.peak_rss = rss_bytes(self.pids())
        self._sampler = threading.Thread(target=run, name=f"rss-{self.name}", daemon=True)
        self._sampler.start()

    def stop_sampling(self) -> int:
        """Stop sampling; returns the peak resident memory in bytes."""
        self._sampling.set()
        if self._sampler is not None:
            self._sampler.join(2)
            self._sampler = None
        return self.peak_rss

    def alive(self) -> bool:
        """True while the main process runs."""
        return self.proc.poll() is None

    def tail(self, lines: int = 20) -> str:
        """The end of the server's output, for error messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and everything it started (SIGTERM, then SIGKILL)."""
        self.stop_sampling()
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def _spawn(
    name: str, argv: list[str], *, env: dict[str, str], cwd: Path, log: Path, port: int
) -> Service:
    out: IO[bytes] = log.open("wb")
    try:
        proc = subprocess.Popen(  # noqa: S603  (our own argv: python -m gunicorn/bench)
            argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    finally:
        out.close()
    return Service(name=name, port=port, proc=proc, log=log)


def base_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a child: this one, minus waflow/WhatsApp settings, plus ``extra``.

    The repository root is put on ``PYTHONPATH`` so ``bench`` imports from any directory.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WAFLOW_", "WHATSAPP_", "DATABASE_URL"))
    }
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env.update(extra or {})
    return env


def start_gunicorn(
    name: str,
    app: str,
    *,
    workers: int,
    threads: int,
    env: dict[str, str],
    cwd: Path,
) -> Service:
    """Start ``gunicorn -w workers --threads threads app`` on a free loopback port."""
    port = free_port()
    argv = [
        sys.executable, "-m", "gunicorn",
        "-w", str(workers), "--threads", str(threads), "-k", "gthread",
        "-b", f"{HOST}:{port}", "--keep-alive", "30", "--backlog", "2048",
        "--graceful-timeout", "5", "--log-level", "warning",
        app,
    ]  # fmt: skip
    return _spawn(name, argv, env=env, cwd=cwd, log=cwd / f"{name}.log", port=port)


def start_mock(*, token: str, cwd: Path) -> Service:
    """Start the mock Cloud API (:mod:`bench._mock`) and wait for its port."""
    log = cwd / "mock.log"
    argv = [sys.executable, "-m", "bench._mock", "--port", "0", "--token", token]
    service = _spawn("mock", argv, env=base_env(), cwd=cwd, log=log, port=0)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if "port=" in text:
            service.port = int(text.split("port=", 1)[1].split()[0])
            return service
        if not service.alive():
            break
        time.sleep(0.05)
    service.stop()
    raise RuntimeError(f"the mock Cloud API did not start:\n{service.tail()}")


def wait_ready(service: Service, path: str, timeout: float = 60.0) -> None:
    """Wait until ``GET path`` answers 200 (the server has booted and built its app).

    Raises:
        RuntimeError: The server died or did not answer in time.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not service.alive():
            raise RuntimeError(f"{service.name} exited:\n{service.tail()}")
        try:
            with urllib.request.urlopen(service.url + path, timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{service.name} not ready after {timeout:.0f} s:\n{service.tail()}")


__all__ = [
    "HOST",
    "Service",
    "base_env",
    "cpu_seconds",
    "free_port",
    "rss_bytes",
    "start_gunicorn",
    "start_mock",
    "tree",
    "wait_ready",
]
