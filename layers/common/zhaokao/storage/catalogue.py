"""The plan catalogue and major links of a season, cached in the process (R8).

A preference save checks its choice against the whole catalogue; reading it
once a minute per warm function keeps the save at two DynamoDB round trips.
Plans and links are read by their own key prefixes: the table holds other kinds
of a season's reference data too (exam sites, under a partition of their own),
and a loader never parses another kind's rows.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..adapters import instance
from ..domain.preferences import Catalogue, Link, Plan
from .models import CatalogueRecord

CACHE_SECONDS = 60.0
_cache: instance.Cache[Catalogue] = instance.Cache(CACHE_SECONDS)


def _plan_key(p: Plan) -> str:
    return f"plan#{p.school_code}#{p.major_code}#{p.plan_type}"


def _link_key(lk: Link) -> str:
    return f"link#{lk.college_major}#{lk.bachelor_major}"


def replace(partition: str, prefix: str, rows: dict[str, dict[str, object]]) -> dict[str, int]:
    """Make the ``prefix`` rows of ``partition`` exactly ``rows``: upsert them, delete the
    others."""
    old = {
        r.key
        for r in CatalogueRecord.query(
            partition, CatalogueRecord.key.startswith(prefix), attributes_to_get=["key"]
        )
    }
    with CatalogueRecord.batch_write() as batch:
        for key, body in rows.items():
            batch.save(CatalogueRecord(season_id=partition, key=key, body=body))
        for key in old - rows.keys():
            batch.delete(CatalogueRecord(season_id=partition, key=key))
    _cache.forget(partition)
    return {"written": len(rows), "removed": len(old - rows.keys())}


def replace_plans(season_id: str, plans: list[Plan]) -> dict[str, int]:
    return replace(season_id, "plan#", {_plan_key(p): p._asdict() for p in plans})


def replace_links(season_id: str, links: list[Link]) -> dict[str, int]:
    return replace(season_id, "link#", {_link_key(lk): lk._asdict() for lk in links})


def load(season_id: str) -> Catalogue:
    hit = _cache.get(season_id)
    if hit is not None:
        return hit
    plans = [Plan(**r.body) for r in _rows(season_id, "plan#")]
    links = [Link(**r.body) for r in _rows(season_id, "link#")]
    return _cache.put(season_id, Catalogue.of(plans, links))


def _rows(season_id: str, prefix: str) -> Iterator[CatalogueRecord]:
    return CatalogueRecord.query(season_id, CatalogueRecord.key.startswith(prefix))


def forget_cache() -> None:
    _cache.forget()
