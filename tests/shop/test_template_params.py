"""The order update fills every parameter ``TEMPLATE_PARAMS`` lists for ``order_update``."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy.engine import Engine

from flows.features.business import TEMPLATE_PARAMS, BusinessConfig, TemplateRef, Templates
from flows.features.shop.order_status import mark_paid
from storage.db import transaction
from tests.shop.conftest import PlaceOrder
from tests.shop.shopkit import ANA, NOW, outbox_payloads


def test_an_order_update_template_may_use_every_listed_parameter(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    names = sorted(TEMPLATE_PARAMS["order_update"] or ())
    template = TemplateRef("order_update", params=tuple(names))
    config = dataclasses.replace(business, templates=Templates(order_update=template))
    order = place_order()
    with transaction(engine) as session:
        change = mark_paid(session, config, order.number, now=NOW + timedelta(hours=25))
    assert change.notified == "template"
    sent = outbox_payloads(engine, ANA)[-1]["template"]["components"][0]["parameters"]
    values = dict(zip(names, [p["text"] for p in sent], strict=True))
    assert (values["number"], values["tracking_url"]) == (order.number, "-")
