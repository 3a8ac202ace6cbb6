"""The business figures operators watch (registrations, codes, submissions, decisions,
payments, SMS failures), as CloudWatch embedded-metric log lines, per season."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

NAMESPACE = "Zhaokao"


def count(name: str, season_id: str, value: int = 1) -> None:
    """One data point now, with the season as its dimension (and one without, for the
    dashboard's totals): its own line, so figures of several seasons never mix.
    ``single_metric`` prints even when POWERTOOLS_METRICS_DISABLED says not to: asked here."""
    if is_metrics_disabled():
        return
    with single_metric(name=name, unit=MetricUnit.Count, value=value, namespace=NAMESPACE) as m:
        m.add_dimension(name="season", value=season_id)
    with single_metric(name=name, unit=MetricUnit.Count, value=value, namespace=NAMESPACE):
        pass
