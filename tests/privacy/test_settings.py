"""The business file's ``privacy`` section: read by the privacy feature, every mistake located."""

from __future__ import annotations

import pytest

from flows.features.business import BusinessConfigError, parse_business
from flows.features.privacy import PrivacySettings
from flows.features.privacy.privacy import privacy_settings
from tests.console.consolekit import SHOP

BASE = (SHOP / "business.yaml").read_text(encoding="utf-8").split("\nprivacy:")[0]


def with_privacy(section: str) -> str:
    return f"{BASE}\nprivacy:\n{section}"


def test_the_example_shop_keeps_message_texts_a_year() -> None:
    business = parse_business((SHOP / "business.yaml").read_text(encoding="utf-8"), "shop.yaml")
    assert privacy_settings(business) == PrivacySettings(retention_days=365)


def test_without_the_section_nothing_is_purged() -> None:
    assert privacy_settings(parse_business(BASE, "shop.yaml")).retention_days is None


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("  retention_days: 0\n", "'retention_days' must be at least 1, got 0"),
        ("  retention_days: true\n", "'retention_days' must be a whole number, got a boolean"),
        ("  retention_days: a year\n", "'retention_days' must be a whole number, got a string"),
        ("  retention_days: 40000\n", "'retention_days' must be at most 36500, got 40000"),
        ("  retention: 30\n", "unknown key 'retention' in privacy; did you mean 'retention_days'?"),
    ],
)
def test_a_mistake_is_reported_with_its_line(section: str, message: str) -> None:
    text = with_privacy(section)
    with pytest.raises(BusinessConfigError) as caught:
        parse_business(text, "shop.yaml")
    assert message in str(caught.value)
    assert caught.value.line == text.count("\n")
    assert caught.value.file == "shop.yaml"
