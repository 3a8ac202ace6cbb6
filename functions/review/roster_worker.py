"""Roster-import queue consumer (R2.3): partial batch failures, idempotent per message."""

from zhaokao.api.consumer import consumer
from zhaokao.messages import ROSTER
from zhaokao.service import roster_import

handler = consumer(
    "roster-import", ROSTER, roster_import.on_message, "roster part imported", "kind"
)
