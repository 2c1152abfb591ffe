"""The console's web shell: login, sessions, CSRF, security headers, layout, staff pages.

Every feature's console pages are made with :func:`console_blueprint`, whose routes require a
logged-in member of staff (anyone else is sent to ``/console/login``) and a CSRF token on every
form; :func:`owner_only` keeps agents out of the owners' pages. :func:`install_console` sets the
app up once: the signing key, Flask-WTF's CSRF check, the cookies' flags and the
Content-Security-Policy of every console answer.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TextIO, TypeVar, cast
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as browser_state
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, CSRFProtect  # type: ignore[import-untyped]
from sqlalchemy.engine import Engine
from sqlmodel import Session
from werkzeug.routing import IntegerConverter, Map

from flows.features._feature import ConsoleLink, WebContext
from flows.features.console.accounts import (
    FREE_FAILURES,
    MAX_PASSWORD,
    LoginResult,
    StaffError,
    add_staff,
    audit,
    audit_log,
    list_staff,
    login,
    logout,
    remove_staff,
    session_user,
    set_password,
    set_role,
    signing_key,
    touch_session,
)
from flows.features.console.forms import MAX_ID
from flows.features.console.models import ROLES, StaffUser
from storage.db import read_session, transaction
from storage.models import utcnow

log = logging.getLogger(__name__)

COOKIE = "waflow_console"
"""The cookie holding the session token (HttpOnly, Secure, SameSite=Lax)."""
SECRET_VARIABLE = "WAFLOW_SECRET_KEY"  # noqa: S105 (a variable name)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
ENGINE_KEY = "waflow.console.engine"
LINKS_KEY = "waflow.console.links"
_csrf = CSRFProtect()
_View = TypeVar("_View", bound=Callable[..., ResponseReturnValue])


@dataclass(frozen=True)
class Staff:
    """The logged-in member of staff, as the pages see them."""

    id: int
    email: str
    role: str

    @property
    def is_owner(self) -> bool:
        """Whether they may open the owners' pages."""
        return self.role == "owner"


def _staff(user: StaffUser) -> Staff:
    assert user.id is not None
    return Staff(user.id, user.email, user.role)


def current_staff() -> Staff:
    """The member of staff this request is from (inside a console route)."""
    return cast(Staff, g.waflow_staff)


def acting_staff(session: Session) -> StaffUser:
    """The row of the member of staff this request is from, for audits and staff actions.

    A 403 ends the request when the account was removed since it began.
    """
    user = session.get(StaffUser, current_staff().id)
    if user is None:
        abort(403)
    return user


def _engine() -> Engine:
    return cast(Engine, current_app.extensions[ENGINE_KEY])


def _login_redirect() -> ResponseReturnValue:
    target = request.full_path.rstrip("?") if request.method == "GET" else ""
    if target:
        return redirect(url_for("waflow_console.login_page", next=target))
    return redirect(url_for("waflow_console.login_page"))


def _guard() -> ResponseReturnValue | None:
    """Before every console route: a live session (but on the login page and for static files),
    a CSRF token on a form."""
    if (request.endpoint or "").endswith(".static"):
        return None  # stylesheets and scripts, the same for everyone
    if request.endpoint in _PUBLIC:
        if request.method == "POST":
            if not request.is_secure and not _on_loopback():
                # Checked before the CSRF token: its cookie is Secure, so it never came.
                flash(
                    "Open the console over https:// (its cookies are never sent in the clear).",
                    "error",
                )
                return render("console/login.html", email="", next=""), 400
            _csrf.protect()
        return None
    token = request.cookies.get(COOKIE, "")
    now = utcnow()
    with read_session(_engine()) as session:
        live = session_user(session, token, now) if token else None
    if live is None:
        return _login_redirect()
    if live.stale(now):
        with transaction(_engine()) as session:
            touch_session(session, token, now)
    g.waflow_staff = _staff(live.user)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        _csrf.protect()
    return None


def console_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint mounted at ``/console`` whose routes all require a login and CSRF tokens.

    Its templates are in ``templates/`` and its static files in ``static/`` beside the module
    ``import_name`` (served at ``/console/static/<name>/``).
    """
    blueprint = Blueprint(
        name,
        import_name,
        url_prefix="/console",
        template_folder="templates",
        static_folder="static",
        static_url_path=f"/static/{name}",
    )
    blueprint.before_request(_guard)
    return blueprint


def owner_only(view: _View) -> _View:
    """Refuse an agent with a 403 page: the view is for owners."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if not current_staff().is_owner:
            return error_page("Owners only", 403)
        return view(*args, **kwargs)

    return cast(_View, wrapped)


def render(template: str, **context: Any) -> str:
    """Render a console page (it extends ``console/base.html``) with the menu for this member."""
    staff: Staff | None = g.get("waflow_staff")
    menu = [] if staff is None else _visible(staff)
    return render_template(template, staff=staff, menu=menu, **context)


def error_page(title: str, status: int, detail: str | None = None) -> tuple[str, int]:
    """The console's error page saying ``title`` (and ``detail``), with its HTTP ``status``."""
    return render("console/error.html", title=title, status=status, detail=detail), status


def csv_download(filename: str, write: Callable[[TextIO], object]) -> Response:
    """A CSV file to download as ``filename``, written by ``write`` into a text stream.

    ``write`` writes through :mod:`flows.features.business.csv_export` (or a writer built on
    it), so no cell runs as a spreadsheet formula.
    """
    out = io.StringIO(newline="")
    write(out)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _on_loopback() -> bool:
    return (urlsplit(request.host_url).hostname or "") in ("localhost", "127.0.0.1", "::1")


def _headers(response: Response) -> Response:
    if request.path.startswith("/console"):
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.path.startswith("/console/static/"):
            response.headers["Cache-Control"] = "no-store"
    return response


def _csrf_refused(error: CSRFError) -> ResponseReturnValue:
    log.warning("console form refused: %s", error.description)
    return error_page(
        "This form has expired",
        400,
        "The page was open too long or came from elsewhere. Go back, reload it and try again.",
    )


class _RowId(IntegerConverter):
    """``<int:…>`` in addresses: at most the largest database integer (a larger one is a 404,
    never a 500 from the database)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def install_console(
    app: Flask, engine: Engine, links: Iterable[ConsoleLink], environ: Any = None
) -> None:
    """Set ``app`` up for the console: signing key, CSRF, cookie flags, headers, error pages.

    ``WAFLOW_SECRET_KEY`` (from ``environ``, ``os.environ`` by default) signs the CSRF tokens;
    without it the database keeps a key of its own, shared by every worker.
    """
    env = os.environ if environ is None else environ
    key = env.get(SECRET_VARIABLE, "").strip()
    if not key:
        with transaction(engine) as session:
            key = signing_key(session)
    app.secret_key = key
    app.config.update(
        WTF_CSRF_CHECK_DEFAULT=False,  # only console routes are checked (_guard); not the webhooks
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the login session
        SESSION_COOKIE_NAME="waflow_console_state",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.url_map.converters["int"] = _RowId
    app.extensions[ENGINE_KEY] = engine
    app.extensions[LINKS_KEY] = list(links)
    _csrf.init_app(app)
    app.after_request(_headers)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(404, _not_found)


def _not_found(error: Exception) -> ResponseReturnValue:
    """A console address that does not exist: the login for a stranger, a page for staff."""
    if not request.path.startswith("/console"):
        return "Not Found", 404, {"Content-Type": "text/plain"}
    if (refused := _guard()) is not None:
        return refused
    return error_page("No such page", 404)


# -- the console's own pages ----------------------------------------------------------------------

blueprint = console_blueprint("waflow_console", __name__)
_PUBLIC = frozenset({"waflow_console.login_page", "waflow_console.login_submit"})


def _visible(staff: Staff) -> list[ConsoleLink]:
    links: Iterable[ConsoleLink] = current_app.extensions.get(LINKS_KEY, ())
    return [link for link in links if staff.is_owner or not link.owner_only]


def _safe_next(target: str | None) -> str:
    """Where to go after login: a console path of this site, never another site."""
    if target and target.startswith("/console/") and not target.startswith("/console//"):
        return target
    return url_for("waflow_console.home")


@blueprint.get("/")
def home() -> ResponseReturnValue:
    """The first page after login: the first page of the menu."""
    menu = _visible(current_staff())
    if menu:
        return redirect(url_for(menu[0].endpoint))
    return render("console/home.html")


@blueprint.get("/login")
def login_page() -> ResponseReturnValue:
    """The login form."""
    return render("console/login.html", email="", next=request.args.get("next", ""))


class _Brake:
    """Failed logins per e-mail typed, in this app's process, over the last :data:`BRAKE_WINDOW`.

    An e-mail with :data:`~flows.features.console.accounts.FREE_FAILURES` recent failures is
    refused before any password is hashed, whether or not it has an account: guessing it costs
    no hashing, and an unknown e-mail gets the same answer as a locked account. The accounts'
    own locks hold across processes. (Not per address: behind a proxy every client has the
    proxy's, and one guesser would lock every member of staff out.)
    """

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def holds(self, email: str, now: float) -> bool:
        """Whether ``email`` has too many recent failures (old ones are forgotten here)."""
        with self._lock:
            oldest = now - BRAKE_WINDOW.total_seconds()
            for key in list(self._failures):
                times = self._failures[key]
                while times and times[0] <= oldest:
                    times.popleft()
                if not times:
                    del self._failures[key]
            return len(self._failures.get(email, ())) >= FREE_FAILURES

    def failed(self, email: str, now: float) -> None:
        """Count a failure for ``email``."""
        with self._lock:
            self._failures.setdefault(email, deque()).append(now)


BRAKE_WINDOW = timedelta(minutes=15)
BRAKE_KEY = "waflow.console.brake"


@blueprint.post("/login")
def login_submit() -> ResponseReturnValue:
    """Check the password; start a session (cookie) or say why not, the same for any account."""
    email = request.form.get("email", "")[:254]
    password = request.form.get("password", "")[:MAX_PASSWORD]
    target = request.form.get("next", "")
    now, clock = utcnow(), time.monotonic()
    typed = email.strip().lower()
    brake: _Brake = current_app.extensions.setdefault(BRAKE_KEY, _Brake())
    if brake.holds(typed, clock):
        result = LoginResult(locked_until=now + BRAKE_WINDOW)
    else:
        result = login(_engine(), email, password, now)
    if result.token is None:
        if result.locked_until is not None and result.locked_until > now:
            flash("Too many failed attempts: try again in a few minutes.", "error")
        else:
            brake.failed(typed, clock)
            flash("Wrong e-mail or password.", "error")
        return render("console/login.html", email=email, next=target), 401
    browser_state.clear()  # a new CSRF token for the new session
    response = redirect(_safe_next(target))
    response.set_cookie(
        COOKIE, result.token, httponly=True, secure=True, samesite="Lax", path="/console"
    )
    return response


@blueprint.post("/logout")
def logout_submit() -> ResponseReturnValue:
    """End this session on the server and forget the cookie."""
    with transaction(_engine()) as session:
        logout(session, request.cookies.get(COOKIE, ""))
        audit(session, acting_staff(session), "staff.logout")
    browser_state.clear()
    response = redirect(url_for("waflow_console.login_page"))
    response.delete_cookie(COOKIE, path="/console", secure=True, samesite="Lax")
    return response


@blueprint.route("/account", methods=["GET", "POST"])
def account() -> ResponseReturnValue:
    """Change one's own password (every session of the account ends, this one included)."""
    if request.method == "GET":
        return render("console/account.html")
    staff = current_staff()
    form = request.form
    check = login(
        _engine(),
        staff.email,
        form.get("current", "")[:MAX_PASSWORD],
        utcnow(),
        start_session=False,
    )
    if check.user is None:
        flash("Your current password is not right.", "error")
        return render("console/account.html"), 400
    if form.get("new", "") != form.get("repeat", ""):
        flash("The two new passwords differ.", "error")
        return render("console/account.html"), 400
    try:
        with transaction(_engine()) as session:
            user = set_password(session, staff.email, form.get("new", ""), utcnow())
            audit(session, user, "staff.password")
    except StaffError as exc:
        flash(str(exc), "error")
        return render("console/account.html"), 400
    browser_state.clear()
    flash("Password changed: log in again with the new one.", "info")
    response = redirect(url_for("waflow_console.login_page"))
    response.delete_cookie(COOKIE, path="/console", secure=True, samesite="Lax")
    return response


@blueprint.get("/staff")
@owner_only
def staff_page() -> ResponseReturnValue:
    """The accounts, with forms to add, change and remove them."""
    with read_session(_engine()) as session:
        users = list_staff(session)
    return render("console/staff.html", users=users, roles=ROLES)


@blueprint.post("/staff")
@owner_only
def staff_change() -> ResponseReturnValue:
    """Add an account, change its role or password, or remove it (``action`` says which)."""
    form = request.form
    action, email = form.get("action", ""), form.get("email", "")[:254]
    actor = current_staff()
    try:
        with transaction(_engine()) as session:
            me = acting_staff(session)
            if action == "add":
                user = add_staff(session, email, form.get("role", ""), form.get("password", ""))
                audit(session, me, "staff.add", user.email, {"role": user.role})
                flash(f"{user.email} can now log in as {user.role}.", "info")
            elif action == "role":
                user = set_role(session, email, form.get("role", ""))
                audit(session, me, "staff.role", user.email, {"role": user.role})
                flash(f"{user.email} is now {user.role}.", "info")
            elif action == "password":
                user = set_password(session, email, form.get("password", ""), utcnow())
                audit(session, me, "staff.password", user.email)
                flash(f"New password set for {user.email}; their sessions have ended.", "info")
            elif action == "remove":
                if email.strip().lower() == actor.email:
                    raise StaffError("you cannot remove your own account")
                user = remove_staff(session, email)
                audit(session, me, "staff.remove", user.email)
                flash(f"{user.email} was removed.", "info")
            else:
                raise StaffError("unknown action")
    except StaffError as exc:
        flash(str(exc).capitalize() + ".", "error")
        return redirect(url_for("waflow_console.staff_page")), 303
    return redirect(url_for("waflow_console.staff_page")), 303


@blueprint.get("/audit")
@owner_only
def audit_page() -> ResponseReturnValue:
    """The latest staff actions."""
    with read_session(_engine()) as session:
        events = audit_log(session)
    return render("console/audit.html", events=events)


def console_pages(ctx: WebContext) -> Blueprint:
    """The console shell's blueprint (the feature's ``console_factory``)."""
    return blueprint


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "COOKIE",
    "SECRET_VARIABLE",
    "Staff",
    "acting_staff",
    "console_blueprint",
    "csv_download",
    "current_staff",
    "error_page",
    "install_console",
    "owner_only",
    "render",
]
