"""A small run of every benchmark inside the suite (``make bench`` runs them at full size)."""

from __future__ import annotations

import bench.admission
import bench.allocation
import bench.arrangement
import bench.auth
import bench.coldstart
import bench.payments
import bench.preferences
import bench.registration
import bench.review
import bench.roster
import bench.scale
import bench.scores
import bench.tickets


def test_cold_start_is_measured_for_every_function() -> None:
    """The figures, for every function; their 40 ms budget is make bench's to assert — a
    wall-clock limit in the suite fails on a busy machine, not on the code."""
    rows = bench.coldstart.main(runs=3)
    assert {r["module"] for r in rows} == set(bench.coldstart.modules())
    parts = {"total_ms", "ours_ms", "stdlib_ms", "third_party_ms"}
    for row in rows:  # every figure reported, as numbers; no limit on any of them here
        assert set(row) == {"module", *parts} and all(isinstance(row[p], float) for p in parts)


def test_sign_in_figures(cloud) -> None:
    figures = bench.auth.main(times=3)
    assert figures["memory_mib"] == 46  # argon2id at OWASP's first setting
    # the figures reported; their budgets are make bench's (no wall-clock limit in tests/)
    timed = ("hash_ms", "verify_ms", "registration_ms", "sign_in_ms")
    assert all(isinstance(figures[k], float) and figures[k] > 0 for k in timed)


def test_registration_figures(cloud) -> None:
    figures = bench.registration.main(cloud, count=30)
    calls = figures["calls"]
    # ADR 8: the code used once, one transaction of three items (R3.2), nothing else — no
    # account service, no other AWS call
    assert calls["calls"] == {"UpdateItem": 1, "TransactWriteItems": 1}
    assert calls["transaction_items"] == [3]
    assert figures["rate"]["created"] == figures["rate"]["requests"]


def test_the_local_cloud_at_a_growing_size(cloud) -> None:
    """The bench's own data never collides: every registration is created, at each size."""
    figures = bench.scale.main(
        cloud, sizes=(bench.scale.stored_candidates() + 200,), count=20, stop=False
    )
    (row,) = figures["rows"]
    for label in ("as shipped", "hash stubbed"):
        assert row[label]["statuses"] == {201: 20}
    assert row["rss_mb"] > 0


def test_roster_import_figures(cloud) -> None:
    result = bench.roster.main(cloud, rows=600, college="43004")
    assert result["status"] == "done" and result["added"] == 600


def test_review_routing_figures(cloud) -> None:
    figures = bench.review.main(cloud, messages=20, submissions=3)
    rate = figures["rate"]
    assert rate["routed"] == rate["messages"] == 20
    assert rate["transaction_items"] == [3]  # candidate, audit, one work item: one transaction
    assert "Scan" not in rate["dynamodb_calls_per_message"]
    assert figures["latency"]["submissions"] == 3
    assert figures["listing"] == {"Query": 1}  # one Query on an index, never a Scan (R6.3)


def test_preference_save_figures(cloud) -> None:
    figures = bench.preferences.main(cloud, saves=5)
    # R8 speed: at most two round trips — the candidate read, one transaction of three items
    assert figures["calls"] == {"GetItem": 1, "TransactWriteItems": 1}
    assert figures["transaction_items"] == [3]


def test_payment_worker_figures(cloud) -> None:
    figures = bench.payments.main(cloud, messages=20)
    assert figures["paid"] == figures["counted"] == 20
    # one order read and one transaction of five items per payment (R9.3) …
    assert figures["first"]["transaction_items"] == [5]
    assert figures["first"]["dynamodb_calls_per_message"]["TransactWriteItems"] == 1
    # … and a redelivery changes nothing: it reads the order, sees it PAID by this transaction
    assert figures["again"]["dynamodb_calls_per_message"] == {"GetItem": 1.0}


def test_arrangement_figures() -> None:
    figures = bench.arrangement.main(candidates=20_000, sites=100)
    assert figures["seated"] == figures["candidates"] and figures["seconds"] > 0


def test_ticket_figures() -> None:
    figures = bench.tickets.main(pages=2)
    assert figures["pages"] == 2 and 0 < figures["kib_per_page"] < 200  # a font subset


def test_score_import_figures(cloud) -> None:
    figures = bench.scores.main(cloud, candidates=20)
    assert figures["status"] == 200 and figures["imported"] == 60 and figures["rows_per_second"] > 0


def test_allocation_figures() -> None:
    figures = bench.allocation.main(candidates=5_000, plans=500, versus=300)
    assert 0 < figures["admitted"] <= figures["candidates"] and figures["seconds"] > 0
    assert figures["versus_matching"]["ratio"] > 1  # ours is faster even at this size


def test_admission_run_figures(cloud) -> None:
    figures = bench.admission.main(cloud, candidates=300)
    assert 0 < figures["admitted"] <= 300 and figures["to_publication_s"] > 0
    assert figures["transitions"] <= 1000  # issue 16: whatever the number of candidates
