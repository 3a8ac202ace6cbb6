"""Text messages (R3.3, R16.2): SNS in AWS; the local cloud's outbox reads what SNS received."""

from __future__ import annotations

from .clients import client


def send(phone: str, text: str) -> None:
    client("sns").publish(
        PhoneNumber=f"+86{phone}",
        Message=text,
        MessageAttributes={
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}
        },
    )
