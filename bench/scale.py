"""The local cloud at season size (issue 11): registrations through the local front as the
store grows, the process's memory, and how long Ctrl-C takes.

Candidates (with their phone and ID sentinels and their used codes) are stored straight
into the emulator's tables to reach each size — what registration would have left — and
then registrations are timed through the HTTP front with 8 clients: once as shipped, and
once with the password hash stubbed, to tell the emulator's own rate from argon2id's CPU
(42–48 ms a hash; two cores cap hashing near 45/s).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from bench.registration import registrations, stored_candidates

SEASON = "ningxia-adult-2023"


def rss_mb() -> int:
    with open("/proc/self/status") as status:
        return int(status.read().split("VmRSS:")[1].split()[0]) // 1024


def fill(target: int) -> int:
    """Store candidates as registration leaves them (record, two sentinels, a used code)
    straight into the emulator until ``target`` are stored; returns how many were added."""
    from datetime import UTC, datetime

    from moto.dynamodb.models import dynamodb_backends

    from zhaokao.storage import pii
    from zhaokao.storage.models import CandidateRecord, OtpRecord, UniqueRecord

    backend = dynamodb_backends["123456789012"]["us-east-1"]
    now = datetime.now(UTC)
    # real ciphertexts (one each, shared): the key-rotation job reads every record it finds
    id_cipher, phone_cipher = pii.encrypt("640104199001010022"), pii.encrypt("13800138000")
    added = 0
    while stored_candidates() < target:
        cid = uuid.uuid4().hex
        record = CandidateRecord(
            candidate_id=cid,
            season_id=SEASON,
            unit_key=f"{SEASON}#640104",
            name="马丽",
            id_hash=cid + "id",
            id_cipher=id_cipher,
            id_masked="640***********0022",
            phone_hash=cid + "ph",
            phone_cipher=phone_cipher,
            phone_masked="138****8000",
            county_code="640104",
            status="registered",
            registered_at=now,
            password_hash="$argon2id$v=19$m=47104,t=1,p=1$" + "x" * 66,
            version=1,
        )
        backend.put_item("CandidatesTable", record.serialize())
        for kind in ("phone", "id"):
            key = f"{kind}#{SEASON}#{cid}"
            sentinel = UniqueRecord(key=key, owner=cid, created_at=now)
            backend.put_item("UniquesTable", sentinel.serialize())
        code = OtpRecord(
            key=f"{SEASON}#{cid}",
            code_hash="e" * 40,
            sent_at=0,
            expires_at=0,
            consumed=True,
            day="2023-09-05",
            day_count=1,
            expires=now,
        )
        backend.put_item("OtpTable", code.serialize())
        added += 1
    return added


def main(
    cloud: Any,
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000),
    count: int = 300,
    stop: bool = True,
) -> dict:
    """Each size in turn, then (``stop``) how long the local cloud takes to stop."""
    rows = []
    for size in sizes:
        fill(size)
        row: dict[str, Any] = {"stored": stored_candidates()}
        for label, stub in (("as shipped", False), ("hash stubbed", True)):
            rate = registrations(cloud, count, stub_hash=stub)
            row[label] = rate
            print(
                f"scale: {row['stored']:>7,} candidates stored, {label:<12}: "
                f"{rate['per_second']:6.1f} registrations/s, {rate['clients']} clients, "
                f"p50 {rate['p50_ms']:.0f} ms, p99 {rate['p99_ms']:.0f} ms, statuses "
                f"{rate['statuses']}",
                flush=True,
            )
        row["rss_mb"] = rss_mb()
        print(f"scale: the local cloud's process holds {row['rss_mb']} MB", flush=True)
        rows.append(row)
    if not stop:
        return {"rows": rows}
    start = time.perf_counter()
    cloud.stop()
    stop = time.perf_counter() - start
    print(f"scale: the local cloud stopped in {stop:.1f} s with {rows[-1]['stored']:,} stored")
    return {"rows": rows, "stop_seconds": stop}


def standalone() -> int:
    """A local cloud of its own, as ``make run`` starts one, with nothing else in it."""
    from bench.registration import quiet_cloud, quiet_logs
    from infra.local.demo import seed

    cloud = quiet_cloud()
    with quiet_logs():
        seed(cloud)
        main(cloud)
    return 0


if __name__ == "__main__":
    raise SystemExit(standalone())
