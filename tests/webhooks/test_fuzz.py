"""Issue 13's fuzz test: thousands of mutated, signed webhook bodies, on SQLite and PostgreSQL.

A seeded generator mutates the real payloads of ``tests/payloads/inbound`` (lone surrogates, NUL
characters, ``NaN`` and ``Infinity``, numbers too large, wrong types, deep nesting, missing keys,
long and exotic text, cut bodies) and posts each through the real app, signed with the app
secret, to an inline runtime that stores, processes and answers it. No answer may be a 5xx and
nothing may raise; every body is signed and under the size limit, so every answer is 200: the
body is stored (with counts), stored cleaned, or kept in the quarantine, as ``unparsable`` exactly
when it is not JSON (the 4xx answers are for signatures and size alone). The seed is fixed: a failure replays exactly (``FUZZ_SEED`` and ``FUZZ_BODIES`` in the
environment change them).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import random
import time
from collections import Counter
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from storage import quarantine
from storage.db import read_session
from tests.helpers import PAYLOADS, PostWebhook

SEED = int(os.environ.get("FUZZ_SEED", "13"))
BODIES = int(os.environ.get("FUZZ_BODIES", "3000"))

_TEXTS = [
    "\ud83d",  # a lone surrogate
    "a\u0000b",  # a NUL
    "😀" * 300,
    "\u202eevil",  # right-to-left override
    "e\u0301" * 50,  # combining accents
    "x" * 5000,
    "",
    " ",
    "{{ 7*7 }}",
    "*bold* _it_ ~s~ ```m```",
    "🇪🇸\u200d",
]
_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    10**30,
    -(10**40),
    1.5,
    float("nan"),
    float("inf"),
    float("-inf"),
    [],
    {},
    [None],
    {"\ud83d": "\u0000"},
]


def _originals() -> list[dict[str, Any]]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((PAYLOADS / "inbound").glob("*.json"))
    ]


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``node`` (keys and list indexes)."""
    found = [at] if at else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*at, index))
    return found


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value] if depth % 2 else {"a": value}
    return value


def _mutate_value(rnd: random.Random, body: dict[str, Any]) -> None:
    """Replace, delete or garble one value somewhere in ``body``."""
    path = rnd.choice(_paths(body))
    parent = body
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    current = parent[last]
    roll = rnd.random()
    if roll < 0.15 and isinstance(parent, dict):
        del parent[last]
        return
    if roll < 0.2 and isinstance(parent, dict):
        parent[rnd.choice(_TEXTS)] = parent.pop(last)  # a key no column holds
        return
    if roll < 0.55 and isinstance(current, str):
        where = rnd.randrange(len(current) + 1)
        parent[last] = current[:where] + rnd.choice(_TEXTS) + current[where:]
    elif roll < 0.6:
        parent[last] = _nested(rnd.randrange(1, 120))
    elif roll < 0.8:
        parent[last] = rnd.choice(_VALUES)
    else:
        parent[last] = rnd.choice(_TEXTS)


def _mutate_bytes(rnd: random.Random, raw: bytes) -> bytes:
    """Damage the serialised body: cut it, or write tokens Python's json accepts."""
    roll = rnd.random()
    if roll < 0.4:
        return raw[: rnd.randrange(len(raw))]
    if roll < 0.6:
        return raw.replace(b"}", b', "big": 1e999}', 1)  # too large for a float
    if roll < 0.8:
        return b"[" * 5000 + b"]" * 5000  # deeper than json accepts
    return raw.replace(b"}", b', "n": NaN}', 1)


def bodies(seed: int, count: int) -> list[bytes]:
    """``count`` mutated bodies, the same ones for the same seed."""
    rnd = random.Random(seed)
    originals = _originals()
    made: list[bytes] = []
    for _ in range(count):
        body = copy.deepcopy(rnd.choice(originals))
        for _ in range(rnd.randrange(1, 4)):
            _mutate_value(rnd, body)
        raw = json.dumps(body, ensure_ascii=rnd.random() < 0.8).encode("utf-8", "surrogatepass")
        if rnd.random() < 0.1:
            raw = _mutate_bytes(rnd, raw)
        made.append(raw)
    return made


def _is_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return True


def test_mutated_signed_bodies_never_get_a_5xx(
    engine: Engine,
    post_webhook: PostWebhook,
    db_url: str,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    made = bodies(SEED, BODIES)
    answers: Counter[str] = Counter()
    started = time.perf_counter()
    with caplog.at_level(logging.ERROR):
        for index, raw in enumerate(made):
            answer = post_webhook(raw)
            status = answer.status_code
            assert status == 200, (index, status, raw[:300])
            result = answer.json
            assert result is not None
            answers["quarantined" if "quarantined" in result else "stored"] += 1
            if "quarantined" in result:
                answers[f"  {result['quarantined']}"] += 1
            unparsable = result.get("quarantined") == quarantine.UNPARSABLE
            assert unparsable is not _is_json(raw), (index, raw[:300])
    took = time.perf_counter() - started
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], sorted(set(errors))[:20]
    assert answers["stored"] > BODIES // 2  # the mutations still reach the inbox
    with read_session(engine) as session:
        kept = quarantine.count_by_reason(session)
    assert kept.get(quarantine.CLEANED, 0) > BODIES // 20  # the poison reached the cleaning
    answers.update({f"kept {reason}": n for reason, n in kept.items()})
    backend = "postgresql" if "postgres" in db_url else "sqlite"
    report = f"{backend}: {BODIES} bodies in {took:.1f} s: {dict(sorted(answers.items()))}"
    request.node.user_properties.append(("fuzz", report))
    print(report)  # the duration, shown with -s
