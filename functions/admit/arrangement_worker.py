"""Arrangement queue consumer (R10.1): a run's plan, then its seats in chunks — partial
batch failures, idempotent per message (a seat is held by conditional writes)."""

from zhaokao.api.consumer import consumer
from zhaokao.messages import ARRANGEMENT
from zhaokao.service import arrangement_queue

handler = consumer(
    "arrangement",
    ARRANGEMENT,
    arrangement_queue.on_message,
    "arrangement step done",
    "run_id",
    "kind",
)
