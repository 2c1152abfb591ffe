"""What the customers feature keeps about a customer (its ``personal_data`` entry): their tags.

Tags are labels staff put on a person: an erasure deletes them; the export leaves out who
put them.
"""

from __future__ import annotations

from flows.features._personal import PersonalTables, Rows
from flows.features.customers.tags import CustomerTag

customer_data = PersonalTables(Rows(CustomerTag, omit=("added_by",)))
"""The customers feature's tables about a customer."""

__all__ = ["customer_data"]
