"""The Docker deployment: Dockerfile, compose.yaml, .dockerignore and the walkthrough that uses them.

These checks run everywhere, without Docker: they read the files and hold them against the code
(the CLI, the configuration, the business loader) and against each other. Building the image and
running the stack is ``tests/test_deployment_docker.py`` (opt-in marker ``docker``).
"""

from __future__ import annotations

import fnmatch
import re
import shlex
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
import pytest
import yaml
from werkzeug.serving import make_server

from bot.client import SandboxClient
from bot.config import Config
from bot.runtime import Runtime
from bot.starter import StarterHandler
from storage.db import create_schema, make_engine
from webhooks.app import create_app
from webhooks.bootstrap import load_business_config, make_handler
from webhooks.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
WALKTHROUGH = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
CONFIG_SOURCE = (ROOT / "bot" / "config.py").read_text(encoding="utf-8")
SHOP_MOUNT = "/srv/shop"


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return data


def services() -> dict[str, Any]:
    found: dict[str, Any] = compose()["services"]
    return found


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n\s*", " ", text)
    lines = (line.strip() for line in text.splitlines())
    return [
        (keyword.upper(), rest.strip())
        for keyword, _, rest in (line.partition(" ") for line in lines if line)
        if not keyword.startswith("#")
    ]


def instructions(keyword: str) -> list[str]:
    return [args for key, args in dockerfile() if key == keyword]


def exec_form(args: str) -> list[str]:
    """A JSON-array instruction (``CMD ["a", "b"]``) as its list."""
    found = yaml.safe_load(args)
    assert isinstance(found, list), f"not in exec form: {args}"
    return [str(item) for item in found]


def production_command() -> list[str]:
    """README's production command for PostgreSQL (``-w 4``)."""
    found = re.findall(r"`(gunicorn [^`]*-w 4 [^`]*)`", README)
    assert found, "README gives no gunicorn -w 4 command for PostgreSQL"
    assert len(set(found)) == 1, found
    return shlex.split(found[0])


def shell_lines(markdown: str) -> Iterator[str]:
    """Each command of the ``sh`` blocks of a Markdown text, continuations joined."""
    for block in re.findall(r"```sh\n(.*?)```", markdown, flags=re.DOTALL):
        for line in re.sub(r"\\\n\s*", " ", block).splitlines():
            command = line.split("  #")[0].strip()
            if command:
                yield command


def interpolated(value: str) -> set[str]:
    """The variables a compose value takes from the environment (``${NAME...}``)."""
    return set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", value))


def container_environment(password: str) -> dict[str, str]:
    """The app container's environment as compose builds it from ``.env.example``.

    ``env_file`` first, then ``environment`` over it; ``POSTGRES_PASSWORD`` as given.
    """
    from dotenv import dotenv_values

    env = {k: v or "" for k, v in dotenv_values(ROOT / ".env.example").items()}
    for name, value in services()["app"]["environment"].items():
        env[name] = re.sub(r"\$\{POSTGRES_PASSWORD[^}]*\}", password, str(value))
    return env


# compose.yaml


def test_compose_runs_the_app_next_to_postgresql() -> None:
    found = services()
    assert set(found) == {"app", "db"}
    assert found["app"]["build"] == "."
    assert re.fullmatch(r"postgres:\d+\.\d+-\w+", found["db"]["image"]), "pin the image version"
    for service in found.values():
        assert service["restart"] == "unless-stopped"


def test_the_app_runs_readme_production_command_for_postgresql() -> None:
    command = production_command()
    assert command == [
        "gunicorn",
        *("-c", "python:webhooks.gunicorn_conf"),  # the graceful stop and fast restarts
        *("-w", "4", "--threads", "8", "webhooks.bootstrap:app_from_env()"),
    ]
    assert services()["app"]["command"] == command
    assert exec_form(instructions("CMD")[-1]) == command


def test_the_app_waits_for_a_healthy_database() -> None:
    app, db = services()["app"], services()["db"]
    assert app["depends_on"] == {"db": {"condition": "service_healthy"}}
    test = db["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    assert shlex.split(test[1]) == [
        "pg_isready",
        "-U",
        db["environment"]["POSTGRES_USER"],
        "-d",
        db["environment"]["POSTGRES_DB"],
    ]


def test_the_database_url_names_the_db_service_and_its_account() -> None:
    env = container_environment(password="s3cret")
    db = services()["db"]["environment"]
    url = urlsplit(env["DATABASE_URL"])
    assert url.scheme == "postgresql+psycopg"
    assert (url.hostname, url.port) == ("db", 5432)
    assert (url.username, url.password) == (db["POSTGRES_USER"], "s3cret")
    assert url.path == "/" + db["POSTGRES_DB"]


def test_postgresql_data_lives_in_a_named_volume() -> None:
    assert "pgdata" in compose()["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in services()["db"]["volumes"]


def test_no_secret_is_written_in_the_compose_file() -> None:
    def values(node: object) -> Iterator[tuple[str, str]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str | int):
                    yield str(key), str(value)
                yield from values(value)
        elif isinstance(node, list):
            for item in node:
                yield from values(item)

    for key, value in values(compose()):
        if re.search(r"TOKEN|SECRET|PASSWORD|KEY", key):
            assert re.fullmatch(r"\$\{\w+:\?[^}]+\}", value), f"{key} must come from .env"
    url = services()["app"]["environment"]["DATABASE_URL"]
    assert re.match(r"[a-z+]+://\w+:\$\{POSTGRES_PASSWORD:\?[^}]*\}@", url), url
    assert interpolated(url) == {"POSTGRES_PASSWORD"}
    assert services()["app"]["env_file"] == ".env"


def test_the_environment_names_are_the_ones_waflow_reads() -> None:
    app_env = set(services()["app"]["environment"])
    read_by_config = set(re.findall(r'get\("([A-Z_]+)"', CONFIG_SOURCE))
    documented = set(re.findall(r"\| `([A-Z_]+)` \|", README))
    for name in app_env:
        assert name in read_by_config or name in documented, f"waflow never reads {name}"
    # every variable the configuration reads is explained by the walkthrough
    for name in read_by_config:
        assert f"`{name}`" in WALKTHROUGH, f"docs/deployment.md does not mention {name}"
    # and so is every variable compose itself takes from .env
    for name in interpolated((ROOT / "compose.yaml").read_text(encoding="utf-8")):
        assert f"`{name}`" in WALKTHROUGH, f"docs/deployment.md does not mention {name}"


def test_the_container_environment_is_a_valid_configuration_with_the_example_shop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mount = services()["app"]["volumes"][0]
    source, target, mode = mount.rsplit(":", 2)
    assert (target, mode) == (SHOP_MOUNT, "ro")
    default = re.fullmatch(r"\$\{WAFLOW_SHOP_DIR:-(.+)\}", source)
    assert default is not None
    shop = (ROOT / default.group(1)).resolve()
    env = {
        name: value.replace(SHOP_MOUNT, str(shop)) if name.startswith("WAFLOW_") else value
        for name, value in container_environment("example").items()
    }
    monkeypatch.chdir(ROOT)
    config = Config.from_env(env, dotenv=None)
    config.check()
    assert config.sandbox  # .env.example has no token: the stack starts in sandbox mode
    business = load_business_config(config)
    assert business is not None
    make_handler(config, business)  # the flows and hooks of the mounted folder load


# Dockerfile and .dockerignore


def test_the_image_is_a_pinned_python_the_project_supports() -> None:
    (base,) = instructions("FROM")
    match = re.fullmatch(r"python:(\d+)\.(\d+)\.(\d+)-slim(-\w+)?", base)
    assert match is not None, f"pin a python slim image: {base}"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    minimum = re.fullmatch(r">=(\d+)\.(\d+)", project["requires-python"])
    assert minimum is not None
    assert (int(match[1]), int(match[2])) >= (int(minimum[1]), int(minimum[2]))


def test_the_image_installs_the_project_without_development_tools() -> None:
    installs = [run for run in instructions("RUN") if "pip install" in run]
    assert len(installs) == 1
    extras = re.search(r'"\.\[([a-z,]+)\]"', installs[0])
    assert extras is not None
    assert set(extras[1].split(",")) == {"postgres", "serve"}


def test_the_server_runs_as_an_unprivileged_user() -> None:
    keywords = [key for key, _ in dockerfile()]
    users = instructions("USER")
    assert users, "no USER: the server would run as root"
    assert users[-1] not in ("root", "0")
    last_user = len(keywords) - 1 - keywords[::-1].index("USER")
    assert "RUN" not in keywords[last_user:]
    assert keywords.index("CMD") > last_user


def test_the_image_upgrades_the_schema_then_hands_over_to_the_command() -> None:
    entrypoint = exec_form(instructions("ENTRYPOINT")[-1])
    assert entrypoint[:2] == ["/bin/sh", "-c"]
    script = shlex.split(entrypoint[2])
    assert script[:3] == ["waflow", "db", "upgrade"]
    assert script[-2:] == ["exec", "$@"]  # gunicorn replaces the shell and receives SIGTERM
    assert resolves(["db", "upgrade"])


def test_port_health_check_and_stop_signal_agree() -> None:
    assert instructions("EXPOSE") == ["8000"]
    assert instructions("STOPSIGNAL") == ["SIGTERM"]
    (env,) = (args for args in instructions("ENV") if "GUNICORN_CMD_ARGS" in args)
    assert '"--bind 0.0.0.0:8000"' in env
    (health,) = instructions("HEALTHCHECK")
    assert "http://127.0.0.1:8000/healthz" in health
    assert services()["app"]["ports"] == ["${WAFLOW_PORT:-8000}:8000"]


def test_a_stop_and_a_restart_lose_no_time() -> None:
    """Compose waits longer than gunicorn's graceful stop; the app has no fixed host name, which
    replicas would share, each taking the other's processes for dead ones of its own host."""
    from webhooks import gunicorn_conf

    app = services()["app"]
    assert int(app["stop_grace_period"].removesuffix("s")) > gunicorn_conf.graceful_timeout
    assert "hostname" not in app
    (env,) = (args for args in instructions("ENV") if "GUNICORN_CMD_ARGS" in args)
    assert "WAFLOW_METRICS_DIR=/tmp/" in env  # /metrics sums the four workers


def ignored(path: str) -> bool:
    """Whether ``.dockerignore`` keeps ``path`` out of the build context (last rule wins)."""
    rules = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    result = False
    for rule in rules:
        negated = rule.startswith("!")
        pattern = rule.lstrip("!").rstrip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if pattern.startswith("**/"):
            hit = any(fnmatch.fnmatch(part, pattern[3:]) for part in parts)
        else:
            hit = any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes)
        if hit:
            result = not negated
    return result


def test_every_copied_file_exists_and_reaches_the_build_context() -> None:
    sources = [
        source for args in instructions("COPY") for source in shlex.split(args)[:-1] if source
    ]
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), source
        assert not ignored(source), f".dockerignore keeps {source} out"
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["packages"]["find"]["include"]
    assert {p.rstrip("*") for p in packages} <= set(sources)


def test_secrets_and_databases_stay_out_of_the_build_context() -> None:
    for path in (".env", "bot/.env", "waflow.db", "examples/shop_bot/shop.db-wal", ".git/config"):
        assert ignored(path), path
    assert ignored("bot/__pycache__/client.cpython-311.pyc")
    assert not ignored("bot/client.py")


# docs/deployment.md


def resolves(words: list[str]) -> bool:
    """Whether ``waflow WORDS...`` names an existing command (options and values aside)."""
    command: click.Command = cli
    for word in words:
        if not isinstance(command, click.Group) or word.startswith("-"):
            return True
        found = command.commands.get(word)
        if found is None:
            return False
        command = found
    return True


def test_the_walkthrough_uses_the_compose_files_names() -> None:
    names = set(services())
    commands = list(shell_lines(WALKTHROUGH))
    compose_commands = [c for c in commands if c.startswith("docker compose ")]
    assert {"docker compose build", "docker compose up -d"} <= set(compose_commands)
    for command in compose_commands:
        words = shlex.split(command)[2:]
        if words[0] in ("exec", "run", "logs", "start", "stop"):
            service = next((w for w in words[1:] if not w.startswith("-")), None)
            if service is not None:
                assert service in names, command
            rest = words[words.index(service) + 1 :] if service else []
            if rest[:1] == ["waflow"]:
                assert resolves(rest[1:]), command
    (curl,) = (c for c in commands if c.startswith("curl"))
    assert "http://127.0.0.1:8000/healthz" in curl
    volume = f"{compose()['name']}_pgdata"
    assert any(f"-v {volume}:" in c for c in commands), "the volume backup names the volume"
    user = services()["db"]["environment"]["POSTGRES_USER"]
    dumps = [c for c in commands if "pg_dump" in c or "pg_restore" in c]
    assert len(dumps) == 2
    for dump in dumps:
        assert f"-U {user} -d {user}" in dump


def test_the_walkthrough_names_every_waflow_command_correctly() -> None:
    inline = re.findall(r"`(waflow [a-z][^`]*)`", WALKTHROUGH)
    blocks = [m[1] for c in shell_lines(WALKTHROUGH) if (m := re.search(r" app (waflow .*)", c))]
    assert inline
    assert blocks
    for command in inline + blocks:
        assert resolves(shlex.split(command)[1:]), command


def test_readme_links_the_walkthrough() -> None:
    assert "(docs/deployment.md)" in README
    assert "compose.yaml" in README


def health_check_command(port: int) -> list[str]:
    """The image's HEALTHCHECK command, aimed at ``port`` instead of the container's 8000."""
    (health,) = instructions("HEALTHCHECK")
    command = exec_form(health.partition(" CMD ")[2])
    return [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for part in command]


def test_the_health_check_passes_on_a_serving_app_and_fails_without_one(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'waflow.db'}")
    create_schema(engine)
    runtime = Runtime(
        engine=engine,
        handler=StarterHandler(),
        client=SandboxClient(),
        inline=True,
    )
    server = make_server("127.0.0.1", 0, create_app(runtime, app_secret="", verify_token=""))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        command = health_check_command(server.port)
        assert command[0] == "python"
        healthy = subprocess.run([sys.executable, *command[1:]], check=False, timeout=30)  # noqa: S603
    finally:
        server.shutdown()
        thread.join(5)
    refused = subprocess.run([sys.executable, *command[1:]], check=False, timeout=30)  # noqa: S603
    assert healthy.returncode == 0
    assert refused.returncode != 0
