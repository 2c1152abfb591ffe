"""docs/deployment.md for real: build the image, start compose.yaml, talk to the app, stop it.

Opt-in (``pytest -m docker``): it needs Docker Engine with the Compose plugin, pulls the base
images and takes minutes. The default run leaves it out (``-m "not docker"`` in pyproject);
``tests/test_deployment.py`` checks the same files without Docker on every run.
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import load_payload

pytestmark = pytest.mark.docker

ROOT = Path(__file__).resolve().parents[1]
TREE = (
    "Dockerfile",
    "compose.yaml",
    ".dockerignore",
    "pyproject.toml",
    "README.md",
    ".env.example",
)
PACKAGES = ("bot", "flows", "storage", "webhooks", "examples/shop_bot")
DEADLINE = 300.0


def docker_compose(
    project: Path, name: str, *args: str, check: bool = True, timeout: float = DEADLINE
) -> str:
    """Run ``docker compose ARGS...`` for the project ``name`` in ``project``; its output."""
    done = subprocess.run(  # noqa: S603 - our own command
        ["docker", "compose", "--project-name", name, *args],  # noqa: S607 - docker from PATH
        cwd=project,
        check=check,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.stdout + done.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (a local URL)
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, int]]:
    """The walkthrough's steps 1, 2 and 4 in a copy of the tree: build, ``.env``, ``up``."""
    assert shutil.which("docker"), "pytest -m docker needs Docker Engine with the Compose plugin"
    project = tmp_path_factory.mktemp("deploy")
    for name in TREE:
        shutil.copy2(ROOT / name, project / name)
    for name in PACKAGES:
        shutil.copytree(
            ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.db*")
        )
    port = free_port()
    env = (ROOT / ".env.example").read_text(encoding="utf-8")
    env += f"\nPOSTGRES_PASSWORD={secrets.token_hex(16)}\nWAFLOW_PORT={port}\n"
    (project / ".env").write_text(env, encoding="utf-8")
    name = f"waflow-test-{secrets.token_hex(4)}"
    docker_compose(project, name, "build")
    try:
        docker_compose(project, name, "up", "-d")
        yield project, name, port
    finally:
        print(docker_compose(project, name, "logs", "app", check=False, timeout=60))
        docker_compose(project, name, "down", "-v", "--rmi", "local", check=False, timeout=120)


def test_the_stack_answers_healthz_and_stores_and_answers_a_message(
    stack: tuple[Path, str, int],
) -> None:
    project, name, port = stack
    deadline = time.monotonic() + DEADLINE
    status, body = 0, b""
    while time.monotonic() < deadline:
        try:
            status, body = get(f"http://127.0.0.1:{port}/healthz")
        except OSError:
            status = 0
        if status == 200:
            break
        time.sleep(0.5)
    assert status == 200, body
    assert json.loads(body)["status"] == "ok"
    # Sandbox mode (no token in .env.example): an unsigned webhook is accepted and answered.
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhook",
        data=json.dumps(load_payload("inbound", "text.json")).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        assert answer.status == 200
    while time.monotonic() < deadline:
        out = docker_compose(project, name, "exec", "-T", "app", "waflow", "db", "status")
        if "'done'" in out and "'sent'" in out:
            break
        time.sleep(0.5)
    assert "'done'" in out, out
    assert "'sent'" in out, out
