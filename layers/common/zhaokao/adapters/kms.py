"""KMS (R17.5): data keys made and unwrapped by the stack's key; the key never leaves KMS."""

from __future__ import annotations

from .clients import client


def new_data_key(key_id: str) -> tuple[bytes, bytes]:
    """A fresh AES-256 data key: (plaintext, the same wrapped by ``key_id``)."""
    made = client("kms").generate_data_key(KeyId=key_id, KeySpec="AES_256")
    return bytes(made["Plaintext"]), bytes(made["CiphertextBlob"])


def unwrap(blob: bytes) -> bytes:
    """A wrapped data key's plaintext (the wrapping key is named inside the blob)."""
    return bytes(client("kms").decrypt(CiphertextBlob=blob)["Plaintext"])
