"""The business file every feature reads, the main menu, and the helpers features share.

:func:`load_business` reads the business file (``WAFLOW_BUSINESS``) into a frozen
:class:`BusinessConfig`. The shared helper modules are ``money`` (amounts in minor units),
``lists`` (paged list messages), ``picks`` (reading a picked row back), ``outreach`` (messages
the business starts), ``timestamps`` (aware-UTC times in the features' tables), ``events``
(what one feature announces and others act on, so that features never import each other) and
``csv_export`` (CSV files no spreadsheet runs as formulas); ``meta_templates`` compares the
file's message templates with WhatsApp Manager's, for ``waflow templates``.
"""

from __future__ import annotations

from pathlib import Path

from flows.features._feature import Feature
from flows.features.business._load import (
    BusinessConfigError,
    SectionCheck,
    SectionReader,
    check_business,
    load_business,
    on_section,
    parse_business,
    settings_reader,
)
from flows.features.business._model import (
    TEMPLATE_PARAMS,
    WEEKDAYS,
    BookingSettings,
    BusinessConfig,
    BusinessContact,
    BusinessInfo,
    Catalog,
    Category,
    Delivery,
    DigitalDelivery,
    HandoffSettings,
    OpeningHours,
    Payments,
    Product,
    ProductKind,
    ProviderName,
    Service,
    StripeSettings,
    TemplateRef,
    Templates,
    TimeRange,
)
from flows.features.business.lists import PAGE_PREFIX, PAGE_ROWS, Page, list_page, paginate, shorten
from flows.features.business.money import format_money


class BusinessFeature(Feature):
    """The main menu every business bot starts from, and ``waflow templates``."""

    name = "business"
    flows_dir = Path(__file__).parent / "flows"
    command_group = "flows.features.business.templates_cli:templates"


__all__ = [
    "PAGE_PREFIX",
    "PAGE_ROWS",
    "TEMPLATE_PARAMS",
    "WEEKDAYS",
    "BookingSettings",
    "BusinessConfig",
    "BusinessConfigError",
    "BusinessContact",
    "BusinessFeature",
    "BusinessInfo",
    "Catalog",
    "Category",
    "Delivery",
    "DigitalDelivery",
    "HandoffSettings",
    "OpeningHours",
    "Page",
    "Payments",
    "Product",
    "ProductKind",
    "ProviderName",
    "SectionCheck",
    "SectionReader",
    "Service",
    "StripeSettings",
    "TemplateRef",
    "Templates",
    "TimeRange",
    "check_business",
    "format_money",
    "list_page",
    "load_business",
    "on_section",
    "paginate",
    "parse_business",
    "settings_reader",
    "shorten",
]
