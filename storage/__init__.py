"""Persistence: SQLModel tables and the transactions of the runtime (SQLite or PostgreSQL)."""

from storage.models import Contact, Conversation, InboundUpdate, MessageStatus, OutboxMessage

__all__ = ["Contact", "Conversation", "InboundUpdate", "MessageStatus", "OutboxMessage"]
