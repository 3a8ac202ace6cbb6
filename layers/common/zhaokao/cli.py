"""``zhaokao``: the operators' command line (seasons, clocks, windows, presets).

It talks to the season tables directly with the operator's AWS credentials and
writes the same audit records as the operators' API. By default it targets the
local cloud; ``--aws --stack NAME`` targets a deployed stack.

    zhaokao season list
    zhaokao season clock hunan-zsb-2024 2024-01-29T10:00     (local cloud only)
    zhaokao season clock hunan-zsb-2024 real
    zhaokao season create --from hunan-zsb-2024 --id hunan-zsb-2025 [--years 1]
    zhaokao season extend ningxia-adult-2023 payment 2023-09-11T18:00 --reason "…"
    zhaokao season install [--replace]                      (both presets)
    zhaokao queue redrive ReviewRoutingQueue                (its DLQ back to it, after a fix)
    zhaokao staff create ops1 --role operator               (the first operator; asks a password)
    zhaokao allocate --candidates C.jsonl --plans P.csv --lines L.csv --out R.jsonl [--rounds 2]
                                                            (files alone: docs/allocation-files.md)
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import datetime
from importlib import resources
from typing import Any

LOCAL_ENDPOINT = "http://127.0.0.1:4566"
PRESETS = ("hunan-zsb-2024", "ningxia-adult-2023")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhaokao", description="Zhaokao operators' tool")
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "--endpoint", help=f"AWS endpoint (default: the local cloud, {LOCAL_ENDPOINT})"
    )
    target.add_argument("--aws", action="store_true", help="use AWS itself (with --stack)")
    parser.add_argument("--stack", help="the deployed CloudFormation stack (with --aws)")
    commands = parser.add_subparsers(dest="command", required=True)
    season = commands.add_parser("season", help="seasons and their policies").add_subparsers(
        dest="action", required=True
    )
    season.add_parser("list", help="every season and the windows open now")
    show = season.add_parser("show", help="one season's windows and phase")
    show.add_argument("season_id")
    clock = season.add_parser("clock", help="pin a season's clock (local cloud only; audited)")
    clock.add_argument("season_id")
    clock.add_argument("at", help="Beijing time, e.g. 2024-01-29T10:00, or 'real'")
    create = season.add_parser("create", help="next year's season from a preset, dates shifted")
    create.add_argument("--from", dest="source", required=True)
    create.add_argument("--id", dest="season_id", required=True)
    create.add_argument("--years", type=int, default=1)
    extend = season.add_parser("extend", help="move a window's end later (audited)")
    extend.add_argument("season_id")
    extend.add_argument("window")
    extend.add_argument("end", help="Beijing time, e.g. 2023-09-11T18:00")
    extend.add_argument("--reason", required=True)
    install = season.add_parser("install", help="store the presets (first deploy)")
    install.add_argument("--replace", action="store_true")
    queue = commands.add_parser("queue", help="queues and their DLQs").add_subparsers(
        dest="action", required=True
    )
    redrive = queue.add_parser("redrive", help="move a queue's DLQ messages back to it")
    redrive.add_argument("queue", help="the template's queue, e.g. ReviewRoutingQueue")
    staff = commands.add_parser("staff", help="staff accounts").add_subparsers(
        dest="action", required=True
    )
    new = staff.add_parser("create", help="a staff account (the first operator of a stack)")
    new.add_argument("username")
    new.add_argument("--role", required=True, help="operator, county_reviewer, …")
    new.add_argument("--unit", help="college, county or school code")
    new.add_argument("--season", help="the season a reviewer works in")
    allocate = commands.add_parser("allocate", help="录取 on files alone: try lines and plans")
    allocate.add_argument("--candidates", required=True, help="JSON lines, one candidate each")
    allocate.add_argument("--plans", required=True, help="CSV: school,major,level,category,…")
    allocate.add_argument("--lines", required=True, help="CSV: level,category,line")
    allocate.add_argument("--out", required=True, help="JSON lines, one outcome each")
    allocate.add_argument("--rounds", type=int, default=2, help="rounds of choices (R13.2)")
    return parser


def _allocate(args: argparse.Namespace) -> int:
    """R13 offline: the same domain code and formats as the official run, on files alone."""
    from pathlib import Path

    from .domain import admission as files
    from .domain.allocation import allocate

    people = files.read_candidates(Path(args.candidates).read_text(encoding="utf-8"))
    seats = files.read_plans(Path(args.plans).read_text(encoding="utf-8-sig"))
    lines = files.read_lines(Path(args.lines).read_text(encoding="utf-8-sig"))
    outcomes = allocate(people, seats, lines, args.rounds)
    results = files.write_results(outcomes)
    Path(args.out).write_text(results, encoding="utf-8")
    canonical = {
        "candidates": files.write_candidates(files.applicant_row(a) for a in people),
        "plans": files.write_plans(seats),
        "lines": files.write_lines(lines),
        "results": results,
    }
    for name, text in canonical.items():
        print(f"sha256 {name:<10} {files.digest(text)}")
    totals = files.summary(outcomes, people, seats)
    rounds = "，".join(f"第{r}轮 {n}" for r, n in totals["per_round"].items()) or "无"
    left = "，".join(f"{t} {n}" for t, n in totals["seats_left"].items()) or "无"
    print(
        f"{totals['candidates']} candidates, {totals['admitted']} admitted ({rounds}; "
        f"by adjustment {totals['adjusted']}); seats left: {left} → {args.out}"
    )
    return 0


def _target(args: argparse.Namespace) -> None:
    """Point storage at the local cloud or at a stack, before storage is imported."""
    if args.aws:
        if not args.stack:
            raise SystemExit("zhaokao: --aws needs --stack NAME")
        import boto3

        resources_ = boto3.client("cloudformation").describe_stack_resources(StackName=args.stack)
        for r in resources_["StackResources"]:
            if r["ResourceType"] == "AWS::DynamoDB::Table":
                name = r["LogicalResourceId"].removesuffix("Table").upper()
                os.environ[f"ZHAOKAO_{name}_TABLE"] = r["PhysicalResourceId"]
            if r["ResourceType"] == "AWS::SQS::Queue":  # the physical id is the queue's URL
                os.environ[f"ZHAOKAO_QUEUE_{r['LogicalResourceId']}"] = r["PhysicalResourceId"]
        return
    os.environ["AWS_ENDPOINT_URL"] = args.endpoint or os.environ.get(
        "AWS_ENDPOINT_URL", LOCAL_ENDPOINT
    )
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ["ZHAOKAO_ALLOW_CLOCK_PINNING"] = "true"


def _beijing(text: str) -> datetime:
    from .domain.windows import CST

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"zhaokao: {text!r} is not a time like 2024-01-29T10:00") from None
    return value if value.tzinfo else value.replace(tzinfo=CST)


def _print_season(summary: dict[str, Any]) -> None:
    print(f"{summary['season_id']}  {summary['name']}")
    print(f"  now {summary['now']}{'  (pinned clock)' if summary['clock_pinned'] else ''}")
    for w in summary["windows"]:
        mark = "open" if w["open"] else "    "
        print(f"  {mark}  {w['label']:<8} {w['text']}")


def run(args: argparse.Namespace) -> int:
    if args.command == "allocate":
        return _allocate(args)
    _target(args)
    from .domain.errors import DomainError
    from .settings import settings
    from .storage import seasons

    settings.cache_clear()
    actor = f"operator-cli:{getpass.getuser()}"
    try:
        if args.command == "staff":
            _create_staff(args, actor)
        elif args.action == "list":
            for season in seasons.list_seasons():
                summary = season.summary()
                now, windows = str(summary["now"]), summary["open_windows"]
                assert isinstance(windows, list)
                print(f"{summary['season_id']:<22} {now[:16]}  open: {', '.join(windows) or '-'}")
        elif args.action == "show":
            _print_season(seasons.get_season(args.season_id).summary())
        elif args.action == "clock":
            at = None if args.at == "real" else _beijing(args.at)
            _print_season(seasons.pin_clock(args.season_id, at, actor).summary())
            print("(a running local cloud sees it within 10 s)")
        elif args.action == "create":
            _print_season(
                seasons.create_from(args.source, args.season_id, args.years, actor).summary()
            )
        elif args.action == "extend":
            end = _beijing(args.end)
            season = seasons.extend_window(args.season_id, args.window, end, args.reason, actor)
            _print_season(season.summary())
        elif args.command == "queue":
            print(f"{args.queue}: {_redrive(args.queue)} messages moved back from its DLQ")

        elif args.action == "install":
            from .domain.policy import load_policy

            for name in PRESETS:
                text = (
                    resources.files("zhaokao").joinpath(f"policies/{name}.json").read_text("utf-8")
                )
                done = seasons.install(load_policy(json.loads(text)), actor, replace=args.replace)
                print(f"{name}: {'installed' if done else 'already there (use --replace)'}")
    except DomainError as exc:
        print(f"zhaokao: {exc.message}" + (f" ({exc.field})" if exc.field else ""), file=sys.stderr)
        return 1
    return 0


def _create_staff(args: argparse.Namespace, actor: str) -> None:
    """A staff account straight into the stack's tables, as the operators' API makes one;
    it binds its authenticator at its first sign-in."""
    from .domain.auth import SCOPE_CLAIMS, STAFF_ROLES, Account
    from .domain.credentials import check_password, hash_password
    from .storage import accounts

    if args.role not in STAFF_ROLES:
        raise SystemExit(f"zhaokao: --role is one of {', '.join(STAFF_ROLES)}")
    account = Account(args.username, args.role, args.season, args.unit)
    missing = [f"--{c}" for c in SCOPE_CLAIMS[args.role] if not getattr(account, c)]
    if missing:
        raise SystemExit(f"zhaokao: a {args.role} needs {' '.join(missing)}")
    password = check_password(getpass.getpass("temporary password: "))
    accounts.create_staff(account, hash_password(password), actor)
    print(f"{args.username} ({args.role}) created: it binds an authenticator at first sign-in")


def _redrive(queue: str) -> int:
    """The queue's DLQ (the template's ``<Name>Queue`` → ``<Name>DLQ``) back to the queue."""
    from .adapters.clients import client
    from .adapters.queues import redrive

    dlq = queue.removesuffix("Queue") + "DLQ"
    urls = []
    for name in (queue, dlq):
        url = os.environ.get(f"ZHAOKAO_QUEUE_{name}")
        urls.append(url or client("sqs").get_queue_url(QueueName=name)["QueueUrl"])
    return redrive(urls[1], urls[0])


def main(argv: list[str] | None = None) -> int:
    return run(_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
