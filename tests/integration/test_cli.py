"""The operators' command line against the local cloud."""

from __future__ import annotations

import pytest

from zhaokao.cli import main
from zhaokao.storage import audit, seasons


def test_season_list_and_show(cloud, capsys) -> None:
    assert main(["--endpoint", cloud.endpoint, "season", "list"]) == 0
    out = capsys.readouterr().out
    assert "hunan-zsb-2024" in out and "ningxia-adult-2023" in out
    assert main(["--endpoint", cloud.endpoint, "season", "show", "hunan-zsb-2024"]) == 0
    assert "注册报名" in capsys.readouterr().out


def test_clock_pin_is_audited_with_the_operator(cloud, capsys) -> None:
    args = ["--endpoint", cloud.endpoint, "season", "clock", "ningxia-adult-2023"]
    assert main([*args, "2023-09-06T09:30"]) == 0
    assert "2023-09-06T09:30" in capsys.readouterr().out
    seasons.forget_cache()
    assert seasons.get_season("ningxia-adult-2023").now().isoformat().startswith("2023-09-06T09:3")
    trail = audit.history("season#ningxia-adult-2023")
    assert trail[0]["action"] == "season.clock_pinned"
    assert trail[0]["actor"].startswith("operator-cli:")
    assert main([*args, "2023-09-05T10:00"]) == 0
    seasons.forget_cache()


def test_bad_input_is_refused_with_a_reason(cloud, capsys) -> None:
    assert main(["--endpoint", cloud.endpoint, "season", "show", "nowhere-2030"]) == 1
    assert "nowhere-2030" in capsys.readouterr().err
    args = ["--endpoint", cloud.endpoint, "season", "extend", "hunan-zsb-2024", "payment"]
    assert main([*args, "2024-03-20T17:00", "--reason", "提前"]) == 1
    assert "晚于" in capsys.readouterr().err


def test_install_keeps_what_is_there(cloud, capsys) -> None:
    assert main(["--endpoint", cloud.endpoint, "season", "install"]) == 0
    assert capsys.readouterr().out.count("already there") == 2


def test_the_first_operator_of_a_stack_is_made_by_the_cli(cloud, api, capsys, monkeypatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "First2024ops")
    args = ["--endpoint", cloud.endpoint, "staff", "create", "ops-first"]
    assert main([*args, "--role", "operator"]) == 0
    assert "ops-first (operator) created" in capsys.readouterr().out
    assert main([*args, "--role", "operator"]) == 1  # once
    reviewer = ["staff", "create", "x1", "--role", "county_reviewer", "--unit", "640104"]
    with pytest.raises(SystemExit, match="needs --season"):  # a reviewer needs its season
        main(["--endpoint", cloud.endpoint, *reviewer])
    login = {"username": "ops-first", "password": "First2024ops"}
    first = api.post("/v1/auth/staff-token", json=login)
    assert first.status_code == 401 and first.json()["error"]["code"] == "enrolment_required"
    assert audit.history("staff#ops-first")[0]["actor"].startswith("operator-cli:")
