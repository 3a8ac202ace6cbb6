"""Roster-import queue consumer (R2.3): partial batch failures, idempotent per message."""

from zhaokao.api.consumer import consumer
from zhaokao.service import roster_import

handler = consumer("roster-import", roster_import.on_message, "roster part imported", "kind")
