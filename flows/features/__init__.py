"""The built-in business features, one folder each, and the registry the bootstrap loops over.

Importing this package registers every built-in feature's tables with SQLModel's metadata.
Adding a feature is one folder and one line in :data:`BUILTIN` (see ``docs/architecture.md``).
"""

from __future__ import annotations

from pathlib import Path

from flows.features._feature import ConsoleLink, Feature, PersonalData, WebContext
from flows.features.analytics import AnalyticsFeature
from flows.features.booking import BookingFeature
from flows.features.broadcasts import BroadcastsFeature
from flows.features.business import BusinessFeature
from flows.features.consent import ConsentFeature
from flows.features.console import ConsoleFeature
from flows.features.customers import CustomersFeature
from flows.features.handoff import HandoffFeature
from flows.features.languages import LanguagesFeature
from flows.features.privacy import PrivacyFeature
from flows.features.shop import ShopFeature
from flows.features.surveys import SurveysFeature
from flows.features.tracking import TrackingFeature

BUILTIN: tuple[Feature, ...] = (
    BusinessFeature(),
    LanguagesFeature(),  # its wrapper is next to the engine: the way back after a switch
    ShopFeature(),
    TrackingFeature(),
    BookingFeature(),
    SurveysFeature(),
    HandoffFeature(),
    ConsoleFeature(),
    AnalyticsFeature(),
    CustomersFeature(),
    PrivacyFeature(),  # "my data" and "delete my data" from any state
    ConsentFeature(),  # its keywords wrap every other handler but broadcasts'
    BroadcastsFeature(),  # last: a stop answering a broadcast is recorded before consent's
)
"""The features a bot with a business file runs, in registration order."""


def flow_dirs(features: tuple[Feature, ...] = BUILTIN) -> tuple[Path, ...]:
    """The directories of YAML flows the features ship."""
    return tuple(f.flows_dir for f in features if f.flows_dir is not None)


__all__ = [
    "BUILTIN",
    "ConsoleLink",
    "Feature",
    "PersonalData",
    "WebContext",
    "flow_dirs",
]
