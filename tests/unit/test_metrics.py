"""Issue 10: the business figures operators watch leave as CloudWatch embedded metrics."""

from __future__ import annotations

import json

import pytest


def test_a_count_is_one_line_per_season_and_one_for_the_total(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from zhaokao.adapters import metrics

    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    metrics.count("Payments", "ningxia-adult-2023")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    dimensions = [line["_aws"]["CloudWatchMetrics"][0]["Dimensions"] for line in lines]
    assert dimensions == [[["season"]], [[]]]
    assert {line["_aws"]["CloudWatchMetrics"][0]["Namespace"] for line in lines} == {"Zhaokao"}
    assert [line["Payments"] for line in lines] == [[1.0], [1.0]]
    assert lines[0]["season"] == "ningxia-adult-2023"


def test_no_line_when_metrics_are_disabled(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The drill and the local cloud turn them off (single_metric alone would still print)."""
    from zhaokao.adapters import metrics

    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    metrics.count("Payments", "ningxia-adult-2023")
    assert capsys.readouterr().out == ""
