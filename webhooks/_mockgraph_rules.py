"""The framework-free rules of the mock Graph API: error envelopes, body checks, failure rules.

This module owns what the mock answers, independent of any web framework: the catalogue of Graph
error codes with Meta's wording, :func:`graph_error` building the envelope of cloud-api.md §3.3,
:func:`body_problem` checking a send request the way the Cloud API would, and the parsing of the
failure rules queued through ``POST /_mock/fail``. :mod:`webhooks.mockgraph` puts these behind
Flask routes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

TEXT_BODY_LIMIT = 4096

#: Graph error code -> (title, ``error_data.details``), worded after Meta's error-code page.
ERROR_CATALOGUE: dict[int, tuple[str, str]] = {
    0: ("AuthException", "We were unable to authenticate the app user."),
    1: ("API Unknown", "Invalid request or possible server error."),
    2: ("API Service", "Temporary due to downtime or due to being overloaded."),
    4: ("API Too Many Calls", "The app has reached its API call rate limit."),
    10: ("Permission Denied", "Permission is either not granted or has been removed."),
    100: ("Invalid parameter", "The request included unsupported or misspelled parameters."),
    190: ("Invalid OAuth access token", "Error validating access token."),
    368: ("Temporarily blocked for policies violations", "The account is restricted."),
    2500: ("Unknown path components", "The path does not exist on this mock."),
    80007: ("Rate limit issues", "The WhatsApp Business Account has reached its rate limit."),
    130429: ("Rate limit hit", "Cloud API message throughput has been reached."),
    130472: ("User's number is part of an experiment", "Message held back by an experiment."),
    130497: (
        "Business account is restricted from messaging users in this country",
        "Messages to users in this country are not allowed for this account.",
    ),
    131000: ("Something went wrong", "Message failed to send due to an unknown error."),
    131005: ("Access denied", "Permission is either not granted or has been removed."),
    131008: ("Required parameter is missing", "The request is missing a required parameter."),
    131009: ("Parameter value is not valid", "One or more parameter values are invalid."),
    131016: ("Service unavailable", "A service is temporarily unavailable."),
    131021: ("Recipient cannot be sender", "Sender and recipient phone number is the same."),
    131026: ("Message undeliverable", "Unable to deliver message to the recipient."),
    131030: ("Recipient phone number not in allowed list", "Add the number to the test list."),
    131031: ("Account has been locked", "The business account was locked."),
    131042: ("Business eligibility payment issue", "There was an error with the payment method."),
    131045: ("Incorrect certificate", "Message failed due to a phone number registration error."),
    131047: (
        "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer "
        "last replied to this number.",
    ),
    131048: ("Spam rate limit hit", "Too many previous messages were blocked or flagged."),
    131049: ("Meta chose not to deliver.", "Not delivered to maintain healthy engagement."),
    131050: ("User has stopped marketing messages", "The recipient opted out of marketing."),
    131051: ("Unsupported message type", "Message type is not currently supported."),
    131052: ("Media download error", "Unable to download the media sent by the user."),
    131053: ("Media upload error", "Unable to upload the media used in the message."),
    131056: (
        "(Business Account, Consumer Account) pair rate limit hit",
        "Too many messages sent from the sender phone number to the same recipient phone "
        "number in a short period of time.",
    ),
    131057: ("Account in maintenance mode", "Business Account is in maintenance mode."),
    131062: ("BSUID recipients not supported", "Business-scoped user IDs cannot be used here."),
    131064: ("Messaging limit reached", "Messaging limit hit after template misclassification."),
    132000: ("Number of parameters does not match", "Template parameter count mismatch."),
    132001: ("Template name does not exist in the translation", "Template not approved."),
    132005: ("Template hydrated text too long", "Translated text is too long."),
    132007: ("Template format character policy violated", "Template content violates policy."),
    132012: ("Template parameter format mismatch", "Parameter format does not match."),
    132015: ("Template is paused", "Template is paused due to low quality."),
    132016: ("Template is disabled", "Template has been permanently disabled."),
    132068: ("Flow is in blocked state", "The flow is blocked."),
    132069: ("Flow is in throttled state", "10 messages using this flow were already sent."),
    133004: ("Server temporarily unavailable", "Server is temporarily unavailable."),
    133010: ("Phone number not registered", "The phone number is not registered."),
    134011: ("Payments terms of service not accepted", "Accept the payments terms first."),
}
#: HTTP status Meta answers with per code; everything else is a 400.
_HTTP_STATUS = {0: 401, 190: 401, 10: 403, 1: 500, 131000: 500, 2: 503, 131016: 503, 133004: 503}
_SUBCODES = {130429: 2494055}
_MEDIA_TYPES = frozenset({"image", "audio", "video", "document", "sticker"})
_MESSAGE_TYPES = _MEDIA_TYPES | {
    "text",
    "interactive",
    "template",
    "reaction",
    "location",
    "contacts",
}


def graph_error(
    code: int, *, details: str | None = None, http_status: int | None = None
) -> tuple[dict[str, Any], int]:
    """Build a Graph error envelope the way Meta sends it (cloud-api.md §3.3).

    Args:
        code: The Graph error code; unknown codes get a generic title.
        details: ``error_data.details``; the catalogue's text by default.
        http_status: The HTTP status; Meta's usual one for the code by default.

    Returns:
        The JSON body and the HTTP status.
    """
    title, default_details = ERROR_CATALOGUE.get(code, ("Mock error", f"Injected error {code}."))
    error: dict[str, Any] = {
        "message": f"(#{code}) {title}",
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details or default_details},
        "fbtrace_id": secrets.token_urlsafe(18)[:23],
    }
    if code in _SUBCODES:
        error["error_subcode"] = _SUBCODES[code]
    return {"error": error}, http_status or _HTTP_STATUS.get(code, 400)


def digits(value: str) -> str:
    """Return only the digits of ``value`` (``"+1 650-555"`` gives ``"1650555"``)."""
    return "".join(ch for ch in value if ch.isdigit())


def same_recipient(wanted: str | None, to: str | None) -> bool:
    """Tell whether a send to ``to`` matches a filter ``wanted`` (``None`` matches every send).

    Numbers are compared by their digits, so ``+1 650 555 1234`` matches ``16505551234``.
    """
    if wanted is None:
        return True
    if to is None:
        return False
    return (digits(wanted) or wanted) == (digits(to) or to)


@dataclass
class FailureRule:
    """A queued Graph error: the next ``times`` message sends to ``to`` (or anyone) fail.

    Attributes:
        code: The Graph error code to answer with.
        times: How many more sends it applies to.
        to: Only sends to this number (digits compared); ``None`` for any recipient.
        http_status: Override of the HTTP status; Meta's usual one when ``None``.
    """

    code: int
    times: int = 1
    to: str | None = None
    http_status: int | None = None


def body_problem(body: Any) -> str | None:
    """Return why ``body`` is not a valid send request, or ``None`` when it is."""
    if not isinstance(body, dict):
        return "The request body must be a JSON object."
    if body.get("messaging_product") != "whatsapp":
        return "The parameter messaging_product is required and must be 'whatsapp'."
    if "status" in body:
        if body["status"] != "read":
            return "Param status must be 'read'."
        if not isinstance(body.get("message_id"), str) or not body["message_id"]:
            return "The parameter message_id is required."
        indicator = body.get("typing_indicator")
        if indicator is not None and indicator != {"type": "text"}:
            return "Param typing_indicator must be {'type': 'text'}."
        return None
    if body.get("recipient_type", "individual") not in ("individual", "group"):
        return "Param recipient_type must be 'individual' or 'group'."
    if not isinstance(body.get("to"), str) or not body["to"].strip():
        return "The parameter to is required."
    kind = body.get("type", "text")
    if kind not in _MESSAGE_TYPES:
        return f"Param type must be one of {sorted(_MESSAGE_TYPES)}."
    return _object_problem(kind, body.get(kind))


def _object_problem(kind: str, obj: Any) -> str | None:
    """Check the object named by ``type`` (the fields every real send carries)."""
    if kind == "contacts":
        ok = isinstance(obj, list) and bool(obj) and all(isinstance(c, dict) for c in obj)
        return None if ok else "Param contacts must be a non-empty list of contact objects."
    if not isinstance(obj, dict):
        return f"The parameter {kind} is required and must be an object."
    if kind == "text":
        text = obj.get("body")
        if not isinstance(text, str) or not text:
            return "The parameter text['body'] is required."
        if len(text) > TEXT_BODY_LIMIT:
            return f"Param text['body'] must be at most {TEXT_BODY_LIMIT} characters long."
    elif kind in _MEDIA_TYPES and (("id" in obj) == ("link" in obj)):
        return f"Param {kind} must have exactly one of 'id' or 'link'."
    elif kind == "interactive" and not (
        isinstance(obj.get("type"), str) and isinstance(obj.get("action"), dict)
    ):
        return "Params interactive['type'] and interactive['action'] are required."
    elif kind == "template" and not (
        isinstance(obj.get("name"), str)
        and isinstance(obj.get("language"), dict)
        and isinstance(obj["language"].get("code"), str)
    ):
        return "Params template['name'] and template['language']['code'] are required."
    elif kind == "reaction" and not (
        isinstance(obj.get("message_id"), str) and isinstance(obj.get("emoji"), str)
    ):
        return "Params reaction['message_id'] and reaction['emoji'] are required."
    elif kind == "location" and not ("latitude" in obj and "longitude" in obj):
        return "Params location['latitude'] and location['longitude'] are required."
    return None


def failure_rule(spec: Any) -> FailureRule:
    """Parse a ``POST /_mock/fail`` body.

    Raises:
        ValueError: The body is not a valid rule.
    """
    if not isinstance(spec, dict):
        raise ValueError("body must be a JSON object")
    code, times = spec.get("code"), spec.get("times", 1)
    to, http_status = spec.get("to"), spec.get("http_status")
    if not isinstance(code, int) or isinstance(code, bool):
        raise ValueError("code must be an integer Graph error code")
    if not isinstance(times, int) or isinstance(times, bool) or times < 1:
        raise ValueError("times must be an integer >= 1")
    if to is not None and not isinstance(to, str):
        raise ValueError("to must be a string")
    if http_status is not None and not (isinstance(http_status, int) and 400 <= http_status < 600):
        raise ValueError("http_status must be an integer from 400 to 599")
    return FailureRule(code=code, times=times, to=to, http_status=http_status)


__all__ = [
    "ERROR_CATALOGUE",
    "TEXT_BODY_LIMIT",
    "FailureRule",
    "body_problem",
    "digits",
    "failure_rule",
    "graph_error",
    "same_recipient",
]
