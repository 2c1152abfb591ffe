"""The exported names of each package and public module are a promise: changing them must be deliberate."""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest

import bot
import bot.client
import bot.errors
import bot.inbound
import bot.messages
import bot.sending
import flows.features
import flows.features.analytics
import flows.features.booking
import flows.features.broadcasts
import flows.features.consent
import flows.features.console
import flows.features.customers
import flows.features.handoff
import flows.features.privacy
import flows.features.surveys
import flows.features.tracking
import storage
import storage.inbox
import storage.outbox
import storage.senders
import webhooks
import webhooks.mockgraph
import webhooks.simulator

PINNED: dict[str, tuple[ModuleType, set[str]]] = {
    "bot": (
        bot,
        {
            "Config",
            "ConfigError",
            "FlowError",
            "GraphError",
            "Handler",
            "LimitError",
            "PayloadError",
            "ReEngagementError",
            "Turn",
            "WaflowError",
            "WindowClosedError",
        },
    ),
    "bot.client": (
        bot.client,
        {
            "CloudClient",
            "DEFAULT_RETRY",
            "Media",
            "RetryPolicy",
            "SandboxClient",
            "SendResult",
            "Sender",
            "graph_error_from_response",
            "make_client",
        },
    ),
    "bot.sending": (bot.sending, {"OutboxSender", "SendReport", "WINDOW", "outbox_rows"}),
    "flows.features": (
        flows.features,
        {"BUILTIN", "ConsoleLink", "Feature", "PersonalData", "WebContext", "flow_dirs"},
    ),
    "flows.features.console": (
        flows.features.console,
        {
            "ROLES",
            "AuditEvent",
            "ConsoleFeature",
            "StaffError",
            "StaffSession",
            "StaffUser",
            "add_staff",
            "audit",
            "login",
        },
    ),
    "flows.features.customers": (flows.features.customers, {"CustomerTag", "CustomersFeature"}),
    "flows.features.broadcasts": (
        flows.features.broadcasts,
        {"Broadcast", "BroadcastRecipient", "BroadcastSettings", "BroadcastsFeature", "Segment"},
    ),
    "flows.features.booking": (
        flows.features.booking,
        {"BookingFeature", "BookingError", "Bookings", "Reason", "SlotTakenError"},
    ),
    "flows.features.privacy": (
        flows.features.privacy,
        {
            "FORMAT",
            "FORMAT_VERSION",
            "Erasure",
            "PrivacyError",
            "PrivacyFeature",
            "PrivacyRequest",
            "PrivacySettings",
            "PurgeRun",
            "covered_tables",
            "erase_customer",
            "export_customer",
            "find_customer",
            "purge",
        },
    ),
    "flows.features.consent": (
        flows.features.consent,
        {
            "START_WORDS",
            "STOP_WORDS",
            "ConsentEvent",
            "ConsentFeature",
            "ConsentKeywords",
            "ConsentSettings",
            "fold",
            "history",
            "record",
        },
    ),
    "flows.features.handoff": (
        flows.features.handoff,
        {
            "HandoffEvent",
            "HandoffFeature",
            "HandoffError",
            "paused_contacts",
            "release",
            "release_idle",
            "request_handoff",
        },
    ),
    "flows.features.surveys": (
        flows.features.surveys,
        {"SurveyDef", "SurveysFeature", "parse_survey"},
    ),
    "flows.features.tracking": (flows.features.tracking, {"TrackingFeature"}),
    "flows.features.analytics": (flows.features.analytics, {"AnalyticsFeature"}),
    "storage": (
        storage,
        {"Contact", "Conversation", "InboundUpdate", "MessageStatus", "OutboxMessage"},
    ),
    "storage.inbox": (
        storage.inbox,
        {
            "count_by_state",
            "lock_contact",
            "mark_processed",
            "next_pending",
            "pending_contacts",
            "pending_head",
            "store_batches",
        },
    ),
    "storage.outbox": (
        storage.outbox,
        {
            "Category",
            "Claim",
            "Claimed",
            "Fallback",
            "HELD",
            "HOLD",
            "Outcome",
            "CALLBACK_PREFIX",
            "DOUBT",
            "IN_DOUBT",
            "NO_RECEIPT_TYPES",
            "RECEIPT_STALE",
            "Receipt",
            "SUPPRESSED",
            "callback_data",
            "claim",
            "enqueue",
            "enqueue_rows",
            "exactly_once",
            "next_due_at",
            "queue_receipts",
            "reconcile",
            "record_outcomes",
            "release_held",
            "take_receipts",
            "template_name",
            "window_closed_after_send",
        },
    ),
    "storage.senders": (
        storage.senders,
        {
            "FORGET",
            "HEARTBEAT",
            "STALE",
            "heartbeat",
            "new_token",
            "owner_gone",
            "process_started",
            "reap",
            "register",
            "this_host",
            "unregister",
        },
    ),
    "webhooks": (
        webhooks,
        {
            "app_from_env",
            "create_app",
            "handshake_answer",
            "make_app",
            "make_runtime",
            "sign",
            "signature_valid",
        },
    ),
    "webhooks.mockgraph": (
        webhooks.mockgraph,
        {
            "ERROR_CATALOGUE",
            "FailureRule",
            "MockGraph",
            "MockGraphStore",
            "MockReply",
            "RecordedRequest",
            "body_problem",
            "create_mock_graph_app",
            "graph_error",
            "mock_store",
            "same_recipient",
            "sent_reply",
        },
    ),
    "webhooks.simulator": (
        webhooks.simulator,
        {
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
        },
    ),
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_package_exports_are_pinned(name: str) -> None:
    module, expected = PINNED[name]
    assert set(module.__all__) == expected
    for exported in module.__all__:
        assert hasattr(module, exported), f"{name}.{exported} is listed but missing"


@pytest.mark.parametrize(
    "cls",
    [c for _, c in inspect.getmembers(bot.errors, inspect.isclass) if c.__module__ == "bot.errors"],
    ids=lambda c: c.__name__,
)
def test_every_error_derives_from_the_one_root(cls: type) -> None:
    assert issubclass(cls, bot.errors.WaflowError)


@pytest.mark.parametrize(
    "module", [bot.inbound, bot.messages, bot.errors], ids=lambda m: m.__name__
)
def test_public_modules_list_only_what_they_have(module: ModuleType) -> None:
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []
