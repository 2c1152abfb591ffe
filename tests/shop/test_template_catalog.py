"""Templates as data: declared once under ``templates.approved``, each use checked at load time."""

from __future__ import annotations

import pytest

from flows.features.business import (
    TEMPLATE_PARAMS,
    BusinessConfigError,
    TemplateRef,
    Templates,
    check_business,
    parse_business,
)

MINIMAL = """\
business:
  name: Bella Bakery
  timezone: Europe/Madrid
  currency: EUR
"""
CATALOG = """\
templates:
  language: es
  approved:
    - {name: order_update, category: utility, params: [name, number, status]}
    - {name: feedback_invite, category: marketing, params: [name, survey]}
    - {name: feedback_invite, language: en_US, category: marketing, params: [name]}
    - {name: staff_alert, category: utility, params: [name, number, message, link]}
    - {name: follow_up, category: utility, params: [message]}
"""


def _templates(text: str) -> Templates:
    return parse_business(MINIMAL + text, "bella.yaml").templates


def test_uses_naming_declared_templates_take_their_language_category_and_params() -> None:
    templates = _templates(
        CATALOG
        + "  order_update: order_update\n"
        + "  survey_invite: feedback_invite\n"
        + "  handoff: {name: feedback_invite, language: en_US}\n"
        + "  replies: [follow_up, order_update]\n"
    )
    assert templates.order_update == TemplateRef(
        "order_update", "es", ("name", "number", "status"), "utility"
    )
    assert templates.survey_invite == TemplateRef(
        "feedback_invite", "es", ("name", "survey"), "marketing"
    )
    assert templates.handoff == TemplateRef("feedback_invite", "en_US", ("name",), "marketing")
    assert [(r.name, r.params) for r in templates.replies] == [
        ("follow_up", ("message",)),
        ("order_update", ("name", "number", "status")),
    ]


def test_a_template_declared_in_one_language_only_is_found_from_any_default() -> None:
    text = CATALOG.replace("language: es", "language: fr") + "  handoff: staff_alert\n"
    assert _templates(text).handoff == TemplateRef(
        "staff_alert", "fr", ("name", "number", "message", "link")
    )


def test_a_declaration_in_a_use_serves_the_other_uses_of_that_template() -> None:
    templates = _templates(
        "templates:\n"
        "  order_update: {name: status_v2, params: [number, status, total]}\n"
        "  replies: [status_v2]\n"
    )
    assert templates.replies == (TemplateRef("status_v2", params=("number", "status", "total")),)


def test_inline_templates_keep_their_defaults_without_a_catalog() -> None:
    templates = _templates(
        "templates:\n  order_update: status_v1\n  survey_invite: {name: invite, params: [name]}\n"
    )
    assert templates.order_update == TemplateRef("status_v1", params=("number", "status"))
    assert templates.survey_invite == TemplateRef("invite", params=("name",), category="marketing")
    assert templates.approved == ()


def test_a_use_completes_its_declaration_from_the_catalog() -> None:
    text = CATALOG + "  order_update: {name: order_update, category: utility}\n"
    order = _templates(text).order_update
    assert order is not None
    assert order.params == ("name", "number", "status")


def test_declared_lists_every_template_once_per_language() -> None:
    templates = _templates(
        CATALOG + "  order_update: order_update\n  replies: [{name: extra, params: [a]}]\n"
    )
    assert [(r.name, r.language) for r in templates.declared()] == [
        ("order_update", "es"),
        ("feedback_invite", "es"),
        ("feedback_invite", "en_US"),
        ("staff_alert", "es"),
        ("follow_up", "es"),
        ("extra", "es"),
    ]


def test_every_use_has_its_fillable_parameters_listed() -> None:
    uses = {name for name in Templates.model_fields if name not in {"approved", "language"}}
    assert uses <= set(TEMPLATE_PARAMS)
    assert TEMPLATE_PARAMS["replies"] is None
    assert TEMPLATE_PARAMS["booking_update"] == {"name", "service", "when", "status"}


@pytest.mark.skipif(
    "booking_update" not in Templates.model_fields, reason="no booking_update use yet"
)
def test_booking_update_is_checked_like_the_other_uses() -> None:
    _, errors = check_business(
        MINIMAL + "templates: {booking_update: {name: moved, params: [when, colour]}}\n", "b.yaml"
    )
    assert [(e.path, e.message) for e in errors] == [
        (
            "templates.booking_update.params",
            "unknown booking_update parameter 'colour' (known: name, service, status, when)",
        )
    ]


BAD = [
    pytest.param(
        "templates: {booking_reminder: {name: r, params: [name, colour]}}\n",
        "templates.booking_reminder.params",
        "unknown booking_reminder parameter 'colour' (known: business, date, id, name, service, "
        "staff, time, when)",
        id="reminder-param",
    ),
    pytest.param(
        "templates: {survey_invite: {name: s, params: [total]}}\n",
        "templates.survey_invite.params",
        "unknown survey_invite parameter 'total' (known: business, name, survey)",
        id="survey-param",
    ),
    pytest.param(
        "templates: {handoff: {name: h, params: [status]}}\n",
        "templates.handoff.params",
        "unknown handoff parameter 'status' (known: business, link, message, name, number)",
        id="handoff-param",
    ),
    pytest.param(
        CATALOG + "  handoff: order_update\n",
        "templates.handoff",
        "unknown handoff parameter 'status' (declared at templates.approved[0]) (known: "
        "business, link, message, name, number)",
        id="declared-param",
    ),
    pytest.param(
        CATALOG + "  order_update: ordr_update\n",
        "templates.order_update",
        "template 'ordr_update' is not declared; did you mean 'order_update'? (declared: "
        "feedback_invite, follow_up, order_update, staff_alert); declare it under "
        "templates.approved",
        id="undeclared",
    ),
    pytest.param(
        CATALOG + "  replies: [follow_up, {name: follow_up, language: pt_BR}]\n",
        "templates.replies[1]",
        "template 'follow_up' is not declared in pt_BR (declared in es); declare it under "
        "templates.approved",
        id="undeclared-language",
    ),
    pytest.param(
        CATALOG + "    - {name: order_update, category: utility, params: [number]}\n",
        "templates.approved[5].params",
        "template 'order_update' (es) is declared twice with different params: [name, number, "
        "status] at templates.approved[0], [number] here",
        id="declared-twice",
    ),
    pytest.param(
        CATALOG + "  survey_invite: {name: feedback_invite, category: utility}\n",
        "templates.survey_invite.category",
        "template 'feedback_invite' (es) is declared twice with different category: marketing "
        "at templates.approved[1], utility here",
        id="use-contradicts-catalog",
    ),
    pytest.param(
        "templates:\n  order_update: {name: x, params: [number]}\n"
        "  replies: [{name: x, params: [number, total]}]\n",
        "templates.replies[0].params",
        "template 'x' (en_US) is declared twice with different params: [number] at "
        "templates.order_update, [number, total] here",
        id="two-uses-disagree",
    ),
    pytest.param(
        "templates:\n  approved: [{name: x, params: [a]}]\n",
        "templates.approved[0]",
        "a declared template needs its 'category' as in WhatsApp Manager",
        id="catalog-without-category",
    ),
    pytest.param(
        "templates: {order_update: {name: otp, category: authentication}}\n",
        "templates.order_update.category",
        "template 'otp' is an authentication template: Meta allows those for one-time passcodes "
        "only, so order_update needs a utility or marketing template",
        id="authentication-use",
    ),
    pytest.param(
        "templates:\n  approved: [{name: otp, category: authentication}]\n  replies: [otp]\n",
        "templates.replies[0]",
        "template 'otp' (declared at templates.approved[0]) is an authentication template",
        id="authentication-declared",
    ),
    pytest.param(
        "templates:\n  language: fr\n  approved:\n"
        "    - {name: invite, language: es, category: marketing}\n"
        "    - {name: invite, language: en_US, category: marketing}\n"
        "  survey_invite: invite\n",
        "templates.survey_invite",
        "template 'invite' is declared in several languages (en_US, es): say which, "
        "as {name: invite, language: ...}",
        id="which-language",
    ),
]


@pytest.mark.parametrize(("extra", "path", "message"), BAD)
def test_template_mistakes_are_refused_at_load_with_their_key_path(
    extra: str, path: str, message: str
) -> None:
    _config, errors = check_business(MINIMAL + extra, "bella.yaml")
    matching = [e for e in errors if e.path == path]
    assert matching, [str(e) for e in errors]
    assert message in matching[0].message
    assert matching[0].line is not None
    assert str(matching[0]).startswith(f"bella.yaml:{matching[0].line} ({path}): ")


def test_every_template_mistake_is_reported_at_once() -> None:
    text = MINIMAL + CATALOG + "  order_update: nope\n  handoff: {name: h, params: [colour]}\n"
    with pytest.raises(BusinessConfigError) as caught:
        parse_business(text, "bella.yaml")
    assert [e.path for e in caught.value.errors] == [
        "templates.order_update",
        "templates.handoff.params",
    ]


def test_python_built_templates_are_checked_too() -> None:
    with pytest.raises(ValueError, match="unknown handoff parameter 'colour'"):
        Templates(handoff=TemplateRef("h", params=("colour",)))
