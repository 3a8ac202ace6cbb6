"""Object storage (S3): uploads go straight to the bucket by signed POST (R4.3)."""

from __future__ import annotations

import io
from typing import Any

from ..settings import settings
from .clients import client

UPLOAD_SECONDS = 900


def upload_form(key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
    """A signed POST limited to one key, one content type and a size range."""
    return dict(
        client("s3").generate_presigned_post(
            settings().bucket,
            key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=UPLOAD_SECONDS,
        )
    )


def read(key: str) -> bytes | None:
    s3 = client("s3")
    try:
        return bytes(s3.get_object(Bucket=settings().bucket, Key=key)["Body"].read())
    except s3.exceptions.NoSuchKey:
        return None


def download(key: str, path: str) -> str | None:
    """The object into a file (the function's disk, not its memory); None when it is gone."""
    s3 = client("s3")
    try:
        s3.download_file(settings().bucket, key, path)
    except s3.exceptions.ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey"):
            return None
        raise
    return path


class Ranged(io.RawIOBase):
    """An object read by ranged GETs, as a seekable file: a worker reads a few members of a
    large zip (its central directory, then each member) without downloading it all."""

    BLOCK = 256 * 1024

    def __init__(self, key: str, size: int) -> None:
        self.key, self.size, self.at = key, size, 0
        self.cache: tuple[int, bytes] = (0, b"")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.at, io.SEEK_END: self.size}[whence]
        self.at = max(0, base + offset)
        return self.at

    def readinto(self, buffer: Any) -> int:
        wanted = min(len(buffer), self.size - self.at)
        if wanted <= 0:
            return 0
        start, block = self.cache
        if not (start <= self.at and self.at + wanted <= start + len(block)):
            end = min(self.size, self.at + max(wanted, self.BLOCK)) - 1
            found = client("s3").get_object(
                Bucket=settings().bucket, Key=self.key, Range=f"bytes={self.at}-{end}"
            )
            start, block = self.at, bytes(found["Body"].read())
            self.cache = (start, block)
        piece = block[self.at - start : self.at - start + wanted]
        buffer[: len(piece)] = piece
        self.at += len(piece)
        return len(piece)


def ranged(key: str) -> Ranged | None:
    """``key`` opened for ranged reads; None when it is gone."""
    s3 = client("s3")
    try:
        head = s3.head_object(Bucket=settings().bucket, Key=key)
    except s3.exceptions.ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey"):
            return None
        raise
    return Ranged(key, int(head["ContentLength"]))


def read_typed(key: str) -> tuple[bytes, str] | None:
    """The object's bytes and the content type the uploader declared (signed into the POST)."""
    s3 = client("s3")
    try:
        obj = s3.get_object(Bucket=settings().bucket, Key=key)
    except s3.exceptions.NoSuchKey:
        return None
    return bytes(obj["Body"].read()), str(obj.get("ContentType", ""))


def delete(key: str) -> None:
    client("s3").delete_object(Bucket=settings().bucket, Key=key)


def write(key: str, body: bytes, content_type: str) -> None:
    client("s3").put_object(Bucket=settings().bucket, Key=key, Body=body, ContentType=content_type)


def keys(prefix: str) -> list[str]:
    pages = (
        client("s3")
        .get_paginator("list_objects_v2")
        .paginate(Bucket=settings().bucket, Prefix=prefix)
    )
    return [o["Key"] for page in pages for o in page.get("Contents", [])]


DOWNLOAD_SECONDS = 300


def download_url(key: str, content_type: str, filename: str) -> str:
    """A short-lived signed GET of one object (a reviewer opening a document): served as a
    download of its inspected type, never rendered as whatever a browser guesses."""
    return str(
        client("s3").generate_presigned_url(
            "get_object",
            Params={
                "Bucket": settings().bucket,
                "Key": key,
                "ResponseContentType": content_type,
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
                "ResponseCacheControl": "private, no-store",
            },
            ExpiresIn=DOWNLOAD_SECONDS,
        )
    )
