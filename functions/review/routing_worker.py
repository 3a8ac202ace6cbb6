"""Review-routing queue consumer (R5, R6.3): checks, then one work item per reviewing unit.

Idempotent per message (a routed round is not routed again); failures are
reported per message, and a message that keeps failing goes to the DLQ.
"""

from zhaokao.api.consumer import consumer
from zhaokao.messages import ROUTING
from zhaokao.service import review

handler = consumer("review-routing", ROUTING, review.on_routing_message, "routed", "candidate_id")
