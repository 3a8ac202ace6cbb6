"""Payment queue consumer (R9.3): a verified payment applied exactly once.

However many times, in whatever order and however concurrently a notification
arrives, the order goes PENDING → PAID once (a condition on the order and a
sentinel per transaction id); partial batch failures; a DLQ after 5 tries.
"""

from zhaokao.api.consumer import consumer
from zhaokao.messages import PAYMENT
from zhaokao.service import payments

handler = consumer(
    "payments", PAYMENT, payments.on_payment_message, "payment applied", "out_trade_no"
)
