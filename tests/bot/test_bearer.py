"""The one Bearer-token check of the HTTP APIs (/metrics, the order-status API)."""

from __future__ import annotations

import pytest

from bot.config import bearer_valid


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer s3cret-token", True),
        ("bearer s3cret-token", True),  # the scheme is case-insensitive (RFC 9110)
        ("Bearer  s3cret-token ", True),
        ("Bearer s3cret-tokeN", False),
        ("Bearer s3cret", False),
        ("Basic s3cret-token", False),
        ("s3cret-token", False),
        ("", False),
        ("Bearer s3cret-töken", False),  # not ASCII: compared, not raised
    ],
)
def test_only_the_configured_token_passes(header: str, expected: bool) -> None:
    assert bearer_valid(header, "s3cret-token") is expected


def test_an_unconfigured_token_lets_nothing_in() -> None:
    assert not bearer_valid("Bearer ", "")
    assert not bearer_valid("Bearer anything", "")
