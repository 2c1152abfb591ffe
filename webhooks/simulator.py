"""The web chat simulator: staff chat as a customer in the browser, through the real pipeline.

The simulator never sends anything to the Cloud API and never touches the shop's customers: it
runs a sandbox :class:`~bot.runtime.Runtime` of its own (the app's conversation handler, inline
processing, a :class:`~bot.client.SandboxClient` that keeps every reply) on a database of its
own, ``WAFLOW_SIMULATOR_DATABASE_URL`` or by default a SQLite file in the system's temporary
directory named after ``DATABASE_URL``. Every staff member is one simulated customer with a test
number of their own (:func:`simulated_number`). The transcript is read back from that database
(the customer's inbound rows and the outbox), never from one process's memory, so the simulator
works under a server with several worker processes.

:func:`message_view` turns one message into the dict the page renders, with WhatsApp's
``*bold*``, ``_italic_``, ``~strike~`` and ```` ```monospace``` ```` made safe HTML
(:func:`format_text`: escaped first, then formatted). :class:`Choice` is a button or list row
the customer can tap; the terminal chat (``waflow chat``) taps them the same way.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape
from sqlalchemy import delete
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from bot import simulate
from bot.client import SandboxClient
from bot.config import Config
from bot.errors import ConfigError
from bot.inbound import (
    ButtonReply,
    ListReply,
    LocationMessage,
    MediaMessage,
    Message,
    TemplateButtonReply,
    parse_value,
)
from bot.messages import MAX_CAPTION, MAX_TEXT, MEDIA_KINDS, describe
from bot.runtime import Runtime
from bot.turn import Handler
from flows.features import ConsoleLink
from flows.features.business import BusinessConfig
from flows.features.console.forms import parse_id
from flows.features.console.web import (
    LINKS_KEY,
    console_blueprint,
    current_staff,
    error_page,
    render,
)
from storage.db import normalize_url, read_session, transaction
from storage.models import Contact, Conversation, InboundUpdate, OutboxMessage, as_utc
from webhooks.bootstrap import make_runtime

log = logging.getLogger(__name__)

DATABASE_VAR = "WAFLOW_SIMULATOR_DATABASE_URL"
"""The variable naming the simulator's own database (by default a SQLite file, see above)."""


def _marked(mark: str) -> re.Pattern[str]:
    """Text between two ``mark``s on one line, not inside a word, without spaces at its ends."""
    m = re.escape(mark)
    return re.compile(rf"(?<![^\W_]|{m}){m}(?![\s{m}])([^{m}\n]+?)(?<!\s){m}(?![^\W_]|{m})")


_FORMATS = (
    (re.compile(r"```(.+?)```", re.S), "code"),
    (_marked("*"), "strong"),
    (_marked("_"), "em"),
    (_marked("~"), "s"),
)
_MAPS_URL = "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def simulator_database_url(config: Config) -> str:
    """The simulator's database: ``WAFLOW_SIMULATOR_DATABASE_URL``, else a SQLite file of its own.

    By default that file lies beside a SQLite shop's database (``shop.db`` →
    ``shop.simulator.db``), in the folder the shop already keeps its data in; for another
    database it lies in a folder of this user's that nobody else may open, named after a hash
    of ``DATABASE_URL``. Either way every worker process of one app shares it and two apps
    never do.

    Raises:
        ConfigError: ``WAFLOW_SIMULATOR_DATABASE_URL`` names the shop's own database, or the
            private folder belongs to someone else or others may open it.
    """
    url = config.extra.get(DATABASE_VAR, "").strip()
    if not url:
        return f"sqlite:///{_default_file(config.database_url)}"
    if _same_database(url, config.database_url):
        raise ConfigError(
            f"{DATABASE_VAR} must name another database than DATABASE_URL: the simulator's "
            "customers and orders would mix with the shop's"
        )
    return url


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, or ``None`` (another database, or SQLite in memory)."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).resolve()


def _same_database(one: str, other: str) -> bool:
    first, second = _sqlite_file(one), _sqlite_file(other)
    if first is not None or second is not None:
        return first == second
    a, b = make_url(normalize_url(one)), make_url(normalize_url(other))
    return (a.get_backend_name(), a.host, a.port, a.database) == (
        b.get_backend_name(),
        b.host,
        b.port,
        b.database,
    )


def _default_file(shop_url: str) -> Path:
    shop_file = _sqlite_file(shop_url)
    if shop_file is not None:
        return shop_file.with_name(shop_file.stem + ".simulator.db")
    folder = Path(tempfile.gettempdir()) / f"waflow-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    mode = folder.stat()
    if mode.st_uid != os.getuid() or mode.st_mode & 0o077:
        raise ConfigError(
            f"{folder} belongs to someone else or others may open it: set {DATABASE_VAR}"
        )
    digest = hashlib.sha256(normalize_url(shop_url).encode()).hexdigest()[:16]
    return folder / f"simulator-{digest}.db"


def simulated_number(staff_id: int) -> str:
    """The simulated customer number of one staff member: ``1555`` then the id on seven digits.

    +1 555 numbers are the ones films use; this one only ever exists in the simulator's database.
    """
    return f"1555{staff_id:07d}"


def sandbox_runtime(
    config: Config,
    *,
    business: BusinessConfig | None = None,
    handler: Handler | None = None,
    database_url: str | None = None,
    keep: bool = True,
) -> tuple[Runtime, SandboxClient]:
    """An inline runtime whose client keeps every message instead of sending it.

    Args:
        config: The configuration; its access token is dropped, so nothing is ever sent.
        business: The business file, to build the configured handler (unless ``handler``).
        handler: The conversation logic to run (the app's own, for the web simulator).
        database_url: Another database than ``config.database_url``.
        keep: Keep the sent messages in the client's ``sent`` list (``False``: only in the
            database).

    Returns:
        The runtime and its sandbox client.

    Raises:
        ConfigError: The configuration, a flow, the hooks or the business file is invalid.
    """
    overrides: dict[str, Any] = {"access_token": ""}
    if database_url is not None:
        overrides["database_url"] = database_url
    client = SandboxClient(keep=keep)
    runtime = make_runtime(
        config.with_overrides(**overrides),
        inline=True,
        client=client,
        handler=handler,
        business=business,
    )
    return runtime, client


# -- what a customer taps --------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A reply button or a list row the customer can tap, as the bot sent it."""

    kind: Literal["button", "list"]
    id: str
    title: str
    description: str | None = None

    def payload(self, wa_id: str, name: str) -> dict[str, Any]:
        """The webhook body of tapping it: Meta's ``button_reply`` or ``list_reply``."""
        if self.kind == "button":
            return simulate.button_reply(wa_id, self.id, self.title, name=name)
        return simulate.list_reply(wa_id, self.id, self.title, self.description, name=name)


def _sections(action: Mapping[str, Any]) -> list[tuple[str | None, list[Choice]]]:
    """A list message's sections: each title and its rows."""
    return [
        (
            section.get("title"),
            [
                Choice("list", row["id"], row["title"], row.get("description"))
                for row in section.get("rows") or []
            ],
        )
        for section in action.get("sections") or []
    ]


def choices(payload: Mapping[str, Any]) -> list[Choice]:
    """The buttons or list rows an outbound message offers, in order (none for other kinds)."""
    interactive = payload.get("interactive") or {}
    action = interactive.get("action") or {}
    if interactive.get("type") == "button":
        return [
            Choice("button", b["reply"]["id"], b["reply"]["title"])
            for b in action.get("buttons") or []
        ]
    if interactive.get("type") == "list":
        return [row for _, rows in _sections(action) for row in rows]
    return []


# -- the view model --------------------------------------------------------------------------------


def format_text(text: str | None) -> Markup | None:
    """WhatsApp's text formatting as safe HTML: the text is escaped first, then formatted."""
    if text is None:
        return None
    html = str(escape(text))
    for pattern, tag in _FORMATS:
        html = pattern.sub(rf"<{tag}>\1</{tag}>", html)
    return Markup(html)  # noqa: S704 (escaped above; only our own tags were added)


def _link(url: object, *schemes: str) -> str | None:
    """``url`` when it starts with one of ``schemes`` (so never ``javascript:``), else None."""
    return url if isinstance(url, str) and url.startswith(schemes) else None


def _location(latitude: float, longitude: float, **named: str | None) -> dict[str, Any]:
    return {
        "latitude": latitude,
        "longitude": longitude,
        "name": named.get("name"),
        "address": named.get("address"),
        "map": _MAPS_URL.format(lat=latitude, lon=longitude),
    }


def _media(kind: str, obj: Mapping[str, Any]) -> dict[str, Any]:
    """Media as a link when it is a public https link, else a placeholder naming its id."""
    return {
        "kind": kind,
        "link": _link(obj.get("link"), "https://"),
        "id": obj.get("id"),
        "filename": obj.get("filename"),
    }


def _template_params(component: Mapping[str, Any]) -> list[str]:
    """A template component's parameters as the text they put into the message."""
    shown = []
    for param in component.get("parameters") or []:
        kind = param.get("type")
        inner = param.get(kind) if isinstance(kind, str) else None
        if kind in ("text", "payload"):
            shown.append(str(param.get(kind)))
        elif isinstance(inner, Mapping) and "fallback_value" in inner:
            shown.append(str(inner["fallback_value"]))
        elif isinstance(inner, Mapping) and ("link" in inner or "id" in inner):
            shown.append(f"({kind} {inner.get('link') or inner.get('id')})")
        else:
            shown.append(f"({kind})")
    return shown


def _template(obj: Mapping[str, Any]) -> dict[str, Any]:
    parts: dict[str, Any] = {"header": [], "body": [], "buttons": []}
    for component in obj.get("components") or []:
        kind = component.get("type")
        if kind == "button":
            params = _template_params(component)
            parts["buttons"].append({"sub_type": component.get("sub_type"), "value": params})
        elif kind in ("header", "body"):
            parts[kind] = _template_params(component)
    return {"name": obj.get("name"), "language": (obj.get("language") or {}).get("code"), **parts}


def _product(retailer_id: object, business: BusinessConfig | None) -> dict[str, Any]:
    """A catalogue item as WhatsApp shows it: name, price and description from the business
    file's catalog when it holds that SKU, else only the id (as the name)."""
    sku = str(retailer_id)
    found = business.catalog.by_retailer_id(sku) if business is not None else None
    if business is None or found is None:
        return {"id": sku, "name": sku, "price": None, "description": None}
    price = business.money(found.price)
    return {"id": sku, "name": found.title, "price": price, "description": found.description}


def _interactive(
    view: dict[str, Any], obj: Mapping[str, Any], business: BusinessConfig | None
) -> dict[str, Any]:
    action = obj.get("action") or {}
    itype = obj.get("type")
    view.update(
        header=format_text((obj.get("header") or {}).get("text")),
        body=format_text((obj.get("body") or {}).get("text")),
        footer=format_text((obj.get("footer") or {}).get("text")),
    )
    if itype == "button":
        view.update(kind="buttons", buttons=[asdict(c) for c in choices({"interactive": obj})])
    elif itype == "list":
        sections = [
            {"title": t, "rows": [asdict(r) for r in rows]} for t, rows in _sections(action)
        ]
        view.update(kind="list", button=action.get("button"), sections=sections)
    elif itype == "cta_url":
        params = action.get("parameters") or {}
        url = _link(params.get("url"), "https://", "http://")
        view.update(kind="cta_url", cta={"text": params.get("display_text"), "url": url})
    elif itype == "location_request_message":
        view.update(kind="location_request")
    elif itype == "product":
        products = [_product(action.get("product_retailer_id"), business)]
        view.update(kind="product", products=products)
    elif itype == "product_list":
        view.update(
            kind="product_list",
            sections=[
                {
                    "title": s.get("title"),
                    "products": [
                        _product(i.get("product_retailer_id"), business)
                        for i in s.get("product_items") or []
                    ],
                }
                for s in action.get("sections") or []
            ],
        )
    else:  # a kind the page has no drawing for: its text, as the terminal shows it
        text = describe({"type": "interactive", "interactive": obj})
        return {"side": view["side"], "kind": "other", "text": text}
    return view


def message_view(
    payload: Mapping[str, Any], *, side: str = "bot", business: BusinessConfig | None = None
) -> dict[str, Any]:
    """One outbound message as the dict the simulator's page renders.

    Every view has ``side`` and ``kind``; texts that WhatsApp formats (``body``, ``header``,
    ``footer``, ``caption``) are safe HTML (:func:`format_text`); everything else is plain data
    for the template to escape. The kinds: ``text``, ``buttons`` (``buttons``), ``list``
    (``button``, ``sections`` of ``rows``), ``cta_url`` (``cta``), ``location_request``,
    ``product`` (``products``) and ``product_list`` (``sections`` of ``products``), each product
    its ``id``, ``name``, ``price`` and ``description`` from ``business``'s catalog (only the id,
    as the name, when the catalog lacks it or no ``business`` is given), ``location``, ``media`` (``media``: a
    ``link`` for https links, else the media ``id`` for a placeholder), ``template`` (name,
    language and its ``header``, ``body`` and ``buttons`` parameters filled in), ``reaction``,
    ``contacts`` and ``other`` (``text``: :func:`bot.messages.describe`).
    """
    kind = payload.get("type")
    obj: Any = payload.get(kind) if isinstance(kind, str) else None
    view: dict[str, Any] = {"side": side, "kind": "other"}
    try:
        if kind == "text":
            return {**view, "kind": "text", "body": format_text(obj["body"])}
        if kind == "interactive":
            return _interactive(view, obj, business)
        if kind in MEDIA_KINDS:
            caption = format_text(obj.get("caption"))
            return {**view, "kind": "media", "media": _media(kind, obj), "caption": caption}
        if kind == "location":
            named = {"name": obj.get("name"), "address": obj.get("address")}
            where = _location(obj["latitude"], obj["longitude"], **named)
            return {**view, "kind": "location", "location": where}
        if kind == "template":
            return {**view, "kind": "template", "template": _template(obj)}
        if kind == "reaction":
            return {**view, "kind": "reaction", "text": obj.get("emoji")}
        if kind == "contacts":
            return {**view, "kind": "contacts", "text": describe(payload)}
    except (AttributeError, KeyError, TypeError):
        pass
    return {**view, "text": describe(payload)}


def customer_view(message: Message) -> dict[str, Any]:
    """What the simulated customer sent, in the shape of :func:`message_view`."""
    view: dict[str, Any] = {"side": "customer", "kind": "text"}
    if isinstance(message, ButtonReply | ListReply | TemplateButtonReply):
        return {**view, "kind": "reply", "body": format_text(message.text_value)}
    if isinstance(message, LocationMessage):
        where = _location(message.latitude, message.longitude, name=message.name)
        return {**view, "kind": "location", "location": where}
    if isinstance(message, MediaMessage):
        media = {"kind": message.type, "link": None, "id": message.media_id, "filename": None}
        return {**view, "kind": "media", "media": media, "caption": format_text(message.caption)}
    if message.text_value is not None:
        return {**view, "body": format_text(message.text_value)}
    return {**view, "kind": "other", "text": f"({message.type})"}


# -- the simulated customers -----------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One message of a simulated conversation: its view and what the page needs around it.

    Attributes:
        at: When it was received (customer) or queued (bot), on the shop's clock.
        view: :func:`message_view` or :func:`customer_view`.
        message_id: The outbox row of a bot message (a tap names it), else ``None``.
    """

    at: datetime
    view: dict[str, Any]
    message_id: int | None = None


@dataclass(frozen=True)
class SimulatedCustomer:
    """One staff member's simulated customer, talking to the simulator's runtime.

    Each method sends one Meta-shaped webhook body through the whole pipeline (inbox, flow
    engine, outbox, the sandbox client) and returns when the replies are stored. ``business``
    names the catalogue items the bot sends (see :func:`message_view`).
    """

    runtime: Runtime
    wa_id: str
    name: str
    business: BusinessConfig | None = None

    def text(self, body: str) -> None:
        """Send a text message."""
        self.runtime.accept(simulate.text(self.wa_id, body, name=self.name))

    def tap(self, message_id: int, index: int) -> bool:
        """Tap choice ``index`` (0-based) of the bot's message ``message_id``.

        Returns:
            False when that message is not this customer's or has no such choice.
        """
        with read_session(self.runtime.engine) as session:
            row = session.get(OutboxMessage, message_id)
            offered = choices(row.payload) if row is not None and row.wa_id == self.wa_id else []
        if not 0 <= index < len(offered):
            return False
        self.runtime.accept(offered[index].payload(self.wa_id, self.name))
        return True

    def location(self, latitude: float, longitude: float, place: str | None = None) -> None:
        """Share a location (a named place when ``place`` is given)."""
        body = simulate.location(self.wa_id, latitude, longitude, place=place, name=self.name)
        self.runtime.accept(body)

    def media(self, kind: str, caption: str | None = None) -> None:
        """Send a placeholder image, video, audio, document or sticker."""
        self.runtime.accept(simulate.media(self.wa_id, kind, caption=caption, name=self.name))

    def transcript(self) -> list[Entry]:
        """The conversation so far, oldest first: the customer's messages and the bot's."""
        with read_session(self.runtime.engine) as session:
            inbound = session.exec(
                select(InboundUpdate)
                .where(InboundUpdate.wa_id == self.wa_id, InboundUpdate.kind == "message")
                .order_by(col(InboundUpdate.id))
            ).all()
            outbound = session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.wa_id == self.wa_id)
                .order_by(col(OutboxMessage.id))
            ).all()
        when = self.business.local if self.business is not None else as_utc  # the shop's clock
        entries = [
            Entry(when(row.received_at), customer_view(update))
            for row in inbound
            for update in parse_value(row.field, row.value)
            if isinstance(update, Message)
        ]
        entries += [
            Entry(when(row.created_at), message_view(row.payload, business=self.business), row.id)
            for row in outbound
            if row.id is not None
        ]
        # A reply is queued after the message that caused it: time, then customer first.
        return sorted(entries, key=lambda e: (e.at, e.message_id is not None))

    def reset(self) -> None:
        """Start over: forget this customer's conversation, transcript and contact row.

        The shop's records (cart, orders, bookings) stay, as they would for a real customer.
        """
        with transaction(self.runtime.engine) as session:
            for table in (InboundUpdate, OutboxMessage, Conversation, Contact):
                session.execute(delete(table).where(col(table.wa_id) == self.wa_id))


# -- the page --------------------------------------------------------------------------------------

_BLUEPRINT = "waflow_simulator"
_MAX_PLACE = 256


class _Refused(ValueError):
    """What the customer sent cannot be simulated; the message says why, for the page."""


def _number(data: Mapping[str, Any], key: str, low: float, high: float) -> float:
    try:
        value = float(data.get(key, ""))
    except (TypeError, ValueError):
        value = float("nan")
    if not low <= value <= high:  # also refuses nan
        raise _Refused(f"The {key} is a number from {low:g} to {high:g}.")
    return value


def _text(data: Mapping[str, Any], key: str, limit: int) -> str:
    value = data.get(key)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise _Refused(f"WhatsApp takes at most {limit} characters here.")
    return text


def _send_text(customer: SimulatedCustomer, data: Mapping[str, Any]) -> None:
    body = _text(data, "text", MAX_TEXT)
    if not body:
        raise _Refused("Type a message first.")
    customer.text(body)


def _tap(customer: SimulatedCustomer, data: Mapping[str, Any]) -> None:
    message, index = parse_id(str(data.get("message", ""))), str(data.get("index", ""))
    choice = int(index) if index.isascii() and index.isdigit() and len(index) < 4 else -1
    if message is None or not customer.tap(message, choice):
        raise _Refused("That choice is no longer offered: tap one in the conversation.")


def _share_location(customer: SimulatedCustomer, data: Mapping[str, Any]) -> None:
    latitude = _number(data, "latitude", -90, 90)
    longitude = _number(data, "longitude", -180, 180)
    customer.location(latitude, longitude, _text(data, "place", _MAX_PLACE) or None)


def _send_media(customer: SimulatedCustomer, data: Mapping[str, Any]) -> None:
    kind = data.get("kind")
    if kind not in MEDIA_KINDS:
        raise _Refused("Choose an image, video, audio, document or sticker.")
    customer.media(str(kind), _text(data, "caption", MAX_CAPTION) or None)


def _start_over(customer: SimulatedCustomer, data: Mapping[str, Any]) -> None:
    customer.reset()


_ACTIONS: dict[str, Callable[[SimulatedCustomer, Mapping[str, Any]], None]] = {
    "text": _send_text,
    "tap": _tap,
    "location": _share_location,
    "media": _send_media,
    "reset": _start_over,
}


def simulator_blueprint(runtime: Callable[[], Runtime], business: BusinessConfig) -> Blueprint:
    """The simulator's console page and its JSON endpoints, on the runtime ``runtime()`` gives.

    ``business`` is the shop's business file: its name heads the page and its catalog names the
    products the bot sends.

    ``GET /console/simulator`` is the page (it works without JavaScript: every form posts and
    comes back); ``GET /console/simulator/transcript`` and ``POST /console/simulator/<action>``
    (``text``, ``tap``, ``location``, ``media``, ``reset``; a JSON object or a form) answer with
    the transcript as JSON (``messages``: the views; ``html``: the rendered conversation) when
    asked with JSON, and redirect to the page otherwise.
    """
    blueprint = console_blueprint(_BLUEPRINT, __name__)

    def customer() -> SimulatedCustomer:
        staff = current_staff()
        name = staff.email.split("@")[0]
        return SimulatedCustomer(runtime(), simulated_number(staff.id), name, business)

    def transcript(of: SimulatedCustomer) -> Response:
        entries = of.transcript()
        html = render_template("simulator/_transcript.html", entries=entries)
        views = [{"at": e.at.isoformat(), "message_id": e.message_id, **e.view} for e in entries]
        return jsonify(messages=views, html=html)

    @blueprint.get("/simulator")
    def page() -> ResponseReturnValue:
        """The chat as the customer sees it, with the forms that answer it."""
        you = customer()
        shop = business.business.name
        return render("simulator/page.html", shop=shop, number=you.wa_id, entries=you.transcript())

    @blueprint.get("/simulator/transcript")
    def conversation() -> ResponseReturnValue:
        """The conversation so far, as JSON."""
        return transcript(customer())

    @blueprint.post("/simulator/<action>")
    def act(action: str) -> ResponseReturnValue:
        """Send what the customer did through the pipeline; answer with the conversation."""
        run = _ACTIONS.get(action)
        if run is None:
            abort(404)
        data: Any = request.get_json(silent=True) if request.is_json else request.form
        you = customer()
        try:
            run(you, data if isinstance(data, Mapping) else {})
        except _Refused as exc:
            if request.is_json:
                return jsonify(error=str(exc)), 400
            flash(str(exc), "error")
        else:
            if request.is_json:
                return transcript(you)
        return redirect(url_for(".page"), 303)

    @blueprint.errorhandler(ConfigError)
    @blueprint.errorhandler(SQLAlchemyError)
    def unavailable(error: Exception) -> ResponseReturnValue:
        """The simulator's database cannot be used: say so, never a stack trace."""
        log.error("the simulator's database is not usable: %s", error)
        problem = "The simulator's database is not usable right now; try again later."
        if request.is_json:
            return jsonify(error=problem), 503
        return error_page("Simulator unavailable", 503, problem)

    return blueprint


def simulator_business(business: BusinessConfig) -> BusinessConfig:
    """The business the simulator runs: the same, but payments are manual (a pretend customer
    never opens a Stripe Checkout session)."""
    manual = business.payments.model_copy(update={"provider": "manual", "stripe": None})
    return dataclasses.replace(business, payments=manual)


def install_simulator(
    app: Flask, runtime: Runtime, config: Config, business: BusinessConfig
) -> None:
    """Give the console of ``app`` a simulator of the shop ``runtime`` serves, and its menu entry.

    Its own sandbox runtime (the same flows and hooks, on the simulator's database, with manual
    payments) is built when the simulator is first used, once per process: an app whose staff
    never open it makes no database for it.

    Raises:
        ConfigError: ``WAFLOW_SIMULATOR_DATABASE_URL`` names the shop's own database.
    """
    url = simulator_database_url(config)
    lock = threading.Lock()

    offline = simulator_business(business)

    @functools.cache
    def build() -> Runtime:
        return sandbox_runtime(config, business=offline, database_url=url, keep=False)[0]

    def sandbox() -> Runtime:
        with lock:  # the first requests may race; the runtime is built once
            return build()

    app.register_blueprint(simulator_blueprint(sandbox, business))
    links = app.extensions[LINKS_KEY]
    links.append(ConsoleLink("Simulator", f"{_BLUEPRINT}.page", rank=85))
    links.sort(key=lambda link: link.rank)


__all__ = [
    "DATABASE_VAR",
    "Choice",
    "Entry",
    "SimulatedCustomer",
    "choices",
    "customer_view",
    "format_text",
    "install_simulator",
    "message_view",
    "sandbox_runtime",
    "simulated_number",
    "simulator_blueprint",
    "simulator_business",
    "simulator_database_url",
]
