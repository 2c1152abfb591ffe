"""waflow runs from a user's project that has its own ``flows/``, ``bot/``, ``storage/``, ``webhooks/``.

waflow's packages carry common words as names, and a shop's repository may well hold folders of
the same names: ``flows/`` for its YAML flows (``docs/flows.md`` suggests ``WAFLOW_FLOWS=flows``),
``storage/`` for its SQLite file, ``bot/`` for hooks, ``webhooks/`` for saved webhook bodies.
Every documented command is run here from such a folder, as separate processes, both with the
editable install this suite runs on and with a wheel installed into a fresh virtualenv.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import simulate
from webhooks.signature import sign

ROOT = Path(__file__).parents[1]
SECRET = "project-folder-secret"
FIXTURE = """\
fixture: 1
name: The menu answers from the project's own flows folder
bot: {flows: [../flows], main_menu: main_menu}
contact: {wa_id: "15550001111", name: Ana}
steps:
  - user: hi
  - bot: any
"""
SHOP_FLOWS = ROOT / "examples" / "shop_bot"


@pytest.fixture(scope="module")
def wheel_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with waflow installed from a wheel (dependencies borrowed from ours)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    source.mkdir()
    for name in ("bot", "flows", "webhooks", "storage"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = base / "dist"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(source),
        ],
        cwd=base,
    )
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=base)
    site = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    # The new environment sees our dependencies, but not our editable install of waflow:
    # a path line in a .pth file does not run the .pth files of the folder it adds.
    (site / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next(wheels.glob("waflow-*.whl"))
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)])
    return venv / "bin"


@pytest.fixture(params=["editable", "wheel"])
def bin_dir(request: pytest.FixtureRequest) -> Path:
    """The bin folder of an environment where waflow is installed."""
    if request.param == "editable":
        return Path(sys.executable).parent
    return Path(request.getfixturevalue("wheel_bin"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder whose own folders share the names of waflow's packages."""
    for name in ("flows", "bot", "storage", "webhooks", "tests"):
        (tmp_path / name).mkdir()
    for flow in (ROOT / "examples" / "demo" / "flows").glob("*.yaml"):
        shutil.copy(flow, tmp_path / "flows" / flow.name)
    (tmp_path / "bot" / "notes.md").write_text("The shop's own notes.\n")
    (tmp_path / "tests" / "menu.fixture.yaml").write_text(FIXTURE)
    (tmp_path / ".env").write_text(
        "WAFLOW_FLOWS=flows\n"
        "DATABASE_URL=sqlite:///storage/shop.db\n"
        f"WHATSAPP_APP_SECRET={SECRET}\n"
        "WHATSAPP_VERIFY_TOKEN=verify-me\n"
    )
    return tmp_path


def _env() -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "TMPDIR")
    return {key: os.environ[key] for key in keep if key in os.environ}


def _run(
    command: list[str], *, cwd: Path | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - our own commands
        command,
        cwd=cwd,
        env=_env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def serve(project: Path) -> Iterator[list[subprocess.Popen[str]]]:
    """Servers started by a test, stopped after it."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _get(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback
                return str(answer.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _post_signed(url: str, body: dict[str, object]) -> int:
    raw = json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback
        url,
        data=raw,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, SECRET)},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
        return int(answer.status)


def test_the_cli_commands_run_from_the_project_folder(project: Path, bin_dir: Path) -> None:
    waflow = str(bin_dir / "waflow")
    assert "0 errors" in _run([waflow, "validate", "--strict", "flows"], cwd=project).stdout
    assert "stateDiagram" in _run([waflow, "graph", "flows/main_menu.yaml"], cwd=project).stdout
    _run([waflow, "db", "create"], cwd=project)
    assert (project / "storage" / "shop.db").is_file()
    chat = [waflow, "chat", "--as", "15550001111", "--name", "Ana"]
    assert "bot: Hi Ana!" in _run(chat, cwd=project, stdin="hi\n/quit\n").stdout
    tested = _run([waflow, "test", "tests"], cwd=project).stdout
    assert "1 passed" in tested
    _run([waflow, "send", "15550001111", "Your cake is ready"], cwd=project)
    assert "outbound" in _run([waflow, "db", "status"], cwd=project).stdout


def test_a_business_bot_runs_from_the_project_folder(project: Path, bin_dir: Path) -> None:
    (project / ".env").write_text(
        f"WAFLOW_BUSINESS={SHOP_FLOWS / 'business.yaml'}\n"
        f"WAFLOW_FLOWS={SHOP_FLOWS / 'flows'}\n"
        f"WAFLOW_HOOKS={SHOP_FLOWS / 'hooks.py'}\n"
        "DATABASE_URL=sqlite:///storage/shop.db\n"
    )
    waflow = str(bin_dir / "waflow")
    assert "0 errors" in _run([waflow, "validate", "--strict"], cwd=project).stdout
    chat = _run([waflow, "chat", "--name", "Ana"], cwd=project, stdin="hi\n/quit\n").stdout
    assert "bot:" in chat
    _run([waflow, "orders", "list"], cwd=project)
    _run([waflow, "bookings", "list"], cwd=project)
    _run([waflow, "handoff", "list"], cwd=project)


def test_gunicorn_serves_the_project(
    project: Path, bin_dir: Path, serve: list[subprocess.Popen[str]]
) -> None:
    port = _free_port()
    serve.append(
        subprocess.Popen(  # noqa: S603 - our own command
            [
                str(bin_dir / "python"),
                "-m",
                "gunicorn",
                "-b",
                f"127.0.0.1:{port}",
                "webhooks.bootstrap:app_from_env()",
            ],
            cwd=project,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    )
    health = json.loads(_get(f"http://127.0.0.1:{port}/healthz", time.monotonic() + 60))
    assert health["status"] == "ok"
    body = simulate.text("15550001111", "hi")
    assert _post_signed(f"http://127.0.0.1:{port}/webhook", body) == 200


def test_waflow_run_serves_the_project(
    project: Path, bin_dir: Path, serve: list[subprocess.Popen[str]]
) -> None:
    port = _free_port()
    serve.append(
        subprocess.Popen(  # noqa: S603 - our own command
            [str(bin_dir / "waflow"), "run", "--port", str(port)],
            cwd=project,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    )
    verify = f"http://127.0.0.1:{port}/webhook?hub.mode=subscribe&hub.verify_token=verify-me"
    assert _get(verify + "&hub.challenge=42", time.monotonic() + 60) == "42"
