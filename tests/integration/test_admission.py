"""录取 (R13-R15) as a Step Functions run in the local cloud: moto's ASL interpreter runs
infra/statemachines/admission.asl.json, our AdmissionFunction answers its Task states.
A trial is never published; an official run waits for each school's list to be approved,
then publishes at once; a failed step publishes nothing; schools see their own lists."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import PERSONAL, SITTERS, Api, approved_person, nx_person

SEASON = "ningxia-admit-2023"
BASE = f"/v1/seasons/{SEASON}"
SCHOOL, OTHER = "10530", "10749"  # the demo school's account is of 10530
PHONES: dict[str, str] = {}
PLANS = (
    "院校代码,院校名称,专业代码,专业名称,计划类别,层次,计划数,医学类\n"
    f"{SCHOOL},宁夏示范大学,080901,计算机科学与技术,ligong,zsb,2,否\n"
    f"{SCHOOL},宁夏示范大学,080902,软件工程,ligong,zsb,1,否\n"
    f"{OTHER},宁夏另一学院,080901,计算机科学与技术,ligong,zsb,1,否\n"
)


@pytest.fixture(scope="module")
def season(cloud: Any, api: Api) -> Iterator[dict[str, str]]:
    yield prepare(api, SEASON)


def prepare(api: Api, season_id: str) -> dict[str, str]:
    """Ningxia's policy under a season of its own, its plans imported, six candidates who
    sat the 专升本 理工 exam (one absent, one below the line), and the line set."""
    from zhaokao.storage import seasons

    ningxia = seasons.get_season("ningxia-adult-2023")
    seasons.install(ningxia.policy.model_copy(update={"season_id": season_id}), "test")
    operator = api.staff_token("operator")
    base = f"/v1/seasons/{season_id}"
    imported = api.post(f"{base}/catalogue/plans", operator, json={"csv": PLANS})
    assert imported.status_code == 200 and imported.json()["imported"] == 3, imported.text
    people = {
        "top": candidate((140, 140, 140), [(SCHOOL, ["080901"])], season_id=season_id),
        "second": candidate((130, 130, 130), [(SCHOOL, ["080901"])], season_id=season_id),
        "third": candidate(
            (125, 125, 125), [(SCHOOL, ["080901"]), (OTHER, ["080901"])], season_id=season_id
        ),
        "adjusts": candidate(
            (120, 120, 120), [(SCHOOL, ["080901"])], adjust=True, season_id=season_id
        ),
        "low": candidate((40, 40, 40), [(SCHOOL, ["080902"])], season_id=season_id),
        "absent": candidate((None, None, None), [(SCHOOL, ["080902"])], season_id=season_id),
    }
    lines = {"lines": [{"level": "zsb", "category": "ligong", "line": 200}]}
    assert api.put(f"{base}/admission/lines", operator, json=lines).status_code == 200
    return {"operator": operator, **people}


def candidate(
    scores: tuple[int | None, ...],
    choices: list[tuple[str, list[str]]],
    adjust: bool = False,
    season_id: str = SEASON,
) -> str:
    """An approved candidate with scores and preferences, written as the pipeline would."""
    preferences = {
        "level": "zsb",
        "subject_category": "ligong",
        "adjust": adjust,
        "schools": [{"school": s, "majors": m} for s, m in choices],
    }
    sets = {
        "profile": {"level": "zsb", "category": "ordinary"},
        "preferences": preferences,
        "scores": dict(zip(("zhengzhi", "yingyu", "gaoshu_1"), scores, strict=True)),
    }
    return approved(season_id, "640104", "adm", sets)


def approved(season_id: str, unit: str, prefix: str, sets: dict[str, Any]) -> str:
    """A registered candidate of ``unit``, approved with ``sets`` and able to sign in."""
    from zhaokao.domain.credentials import hash_password
    from zhaokao.storage import lifecycle

    name, id_number = nx_person(next(SITTERS))
    PERSONAL.add(id_number)
    cid = f"{prefix}-{id_number}"
    phone = PHONES[cid] = f"136{next(SITTERS):08d}"
    PERSONAL.add(phone)
    password = hash_password("abc12345")
    record = approved_person(cid, season_id, unit, (name, id_number), phone, password_hash=password)
    lifecycle.change(record, None, "test", sets=sets)
    return cid


def signed_in(api: Api, cid: str, season_id: str = SEASON) -> str:
    body = {"season_id": season_id, "phone": PHONES[cid], "password": "abc12345"}
    return str(api.post("/v1/auth/token", json=body).json()["access_token"])


def ended(
    api: Api, token: str, run_id: str, seconds: float = 60, base: str = BASE
) -> dict[str, Any]:
    """A run's view once it has left ``running``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = api.get(f"{base}/admission/runs/{run_id}", token).json()
        if run["status"] != "running":
            return dict(run)
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not end: {_history(run_id)}")


def _history(run_id: str) -> list[Any]:
    """The failures of the run's execution, to say why it did not end."""
    import boto3

    sfn = boto3.client("stepfunctions")
    machine = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    arn = f"{machine.replace(':stateMachine:', ':execution:')}:{run_id}"
    events = sfn.get_execution_history(executionArn=arn)["events"]
    return [
        {k: v for k, v in e.items() if k.endswith("EventDetails")}
        for e in events
        if "Failed" in e["type"] or "TimedOut" in e["type"]
    ]


def execution(cloud: Any, run_id: str) -> dict[str, Any]:
    """The run's execution as Step Functions reports it (waiting for it to stop)."""
    sfn = cloud.client("stepfunctions")
    arn = f"{cloud.refs['AdmissionStateMachine'].replace(':stateMachine:', ':execution:')}:{run_id}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return dict(described)
        time.sleep(0.2)
    raise AssertionError(f"execution {run_id} still running")


def test_a_trial_allocates_explains_and_publishes_nothing(
    api: Api, cloud: Any, season: dict[str, str]
) -> None:
    operator = season["operator"]
    started = api.post(f"{BASE}/admission/runs", operator, json={"what_if": True})
    assert started.status_code == 202, started.text
    run = ended(api, operator, started.json()["run_id"])
    assert run["status"] == "done", run
    summary = run["summary"]
    assert (summary["candidates"], summary["admitted"], summary["adjusted"]) == (6, 4, 1)
    assert summary["per_round"] == {"1": 3, "2": 1}  # third goes to the other school in round 2
    proposed = summary["proposed_lines"][0]
    assert (proposed["level"], proposed["category"], proposed["seats"]) == ("zsb", "ligong", 4)
    assert set(run["digests"]) >= {"plans", "lines", "results", "candidates/zsb.ligong.jsonl"}
    assert execution(cloud, run["run_id"])["status"] == "SUCCEEDED"
    me = api.get("/v1/me/admission", signed_in(api, season["top"]))
    assert me.status_code in (403, 422)  # nothing published: the window, or no result yet


def test_an_official_run_waits_for_each_school_then_publishes_at_once(
    api: Api, cloud: Any, season: dict[str, str]
) -> None:
    from tests.support import season_clock

    operator = season["operator"]
    started = api.post(f"{BASE}/admission/runs", operator, json={})
    assert started.status_code == 202, started.text
    run_id = started.json()["run_id"]
    again = api.post(f"{BASE}/admission/runs", operator, json={})
    assert again.status_code == 409  # one official run at a time
    run = ended(api, operator, run_id)
    assert run["status"] == "awaiting_approval", run
    assert {s["school"]: s["admitted"] for s in run["schools"]} == {SCHOOL: 3, OTHER: 1}
    pending = api.get(f"{BASE}/schools/{SCHOOL}/admitted?run_id={run_id}", operator).json()
    assert [(r["major"], r["adjusted"]) for r in pending] == [
        ("080901", False),
        ("080901", False),
        ("080902", True),
    ]
    school = api.staff_token("school-demo")
    assert api.get(f"{BASE}/schools/{SCHOOL}/admitted", school).status_code == 422  # not yet
    checking = api.get(f"{BASE}/schools/{SCHOOL}/admitted?run_id={run_id}", school)
    assert len(checking.json()) == 3  # the school checks its list while the authority does
    trials = [
        r["run_id"] for r in api.get(f"{BASE}/admission/runs", operator).json() if r["what_if"]
    ]
    trial = api.get(f"{BASE}/schools/{SCHOOL}/admitted?run_id={trials[0]}", school)
    assert trial.status_code == 404  # a trial is the operators' alone
    api.post(f"{BASE}/admission/runs/{run_id}/approvals", operator, json={"school": SCHOOL})
    assert api.get(f"{BASE}/admission/runs/{run_id}", operator).json()["status"] == (
        "awaiting_approval"  # one school's list is not the whole result
    )
    last = api.post(f"{BASE}/admission/runs/{run_id}/approvals", operator, json={"school": OTHER})
    assert last.status_code == 200, last.text
    assert execution(cloud, run_id)["status"] == "SUCCEEDED"
    assert api.get(f"{BASE}/admission/runs/{run_id}", operator).json()["status"] == "published"

    from tests.support import sms_containing
    from zhaokao.service import announcements

    assert announcements.announce(SEASON)["admission_published"] == 6  # R16.2: each once
    assert announcements.announce(SEASON)["admission_published"] == 0
    assert "录取结果已发布" in sms_containing(api, "录取结果已发布")
    listed = api.get(f"{BASE}/schools/{SCHOOL}/admitted", school)
    assert listed.status_code == 200 and len(listed.json()) == 3
    assert all("*" in r["id_masked"] for r in listed.json())  # R17.2: masked to schools
    assert api.get(f"{BASE}/schools/{OTHER}/admitted", school).status_code == 404  # R15.1
    export = api.get(f"{BASE}/schools/{SCHOOL}/admitted/export", school)
    assert export.status_code == 200 and export.text.count("\r\n") == 4
    with season_clock(SEASON, "2024-01-22T09:00:00"):  # the admission-query window
        top = api.get("/v1/me/admission", signed_in(api, season["top"])).json()
        assert (top["admitted"], top["school_name"], top["major_name"], top["round"]) == (
            True,
            "宁夏示范大学",
            "计算机科学与技术",
            1,
        )
        low = api.get("/v1/me/admission", signed_in(api, season["low"])).json()
        assert not low["admitted"]
        assert low["reason"] == "成绩120分（含照顾0分）低于录取控制分数线200分"
        absent = api.get("/v1/me/admission", signed_in(api, season["absent"])).json()
        assert absent["reason"] == "缺考"


def test_schools_record_letters_and_rechecks_and_fraud_cancels_the_admission(
    api: Api, season: dict[str, str]
) -> None:
    operator, school = season["operator"], api.staff_token("school-demo")
    base = f"{BASE}/schools/{SCHOOL}/admitted/{season['second']}"
    letter = {"carrier": "中国邮政EMS", "tracking_number": "EA123456789CN"}
    assert api.put(f"{base}/letter", school, json=letter).status_code == 200
    bad = api.put(f"{base}/letter", school, json={**letter, "tracking_number": "单号"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "tracking_number"
    other = f"{BASE}/schools/{OTHER}/admitted/{season['third']}/letter"
    assert api.put(other, school, json=letter).status_code == 404
    failed = {"identity_ok": True, "proofs_ok": False, "note": "照顾加分证明与原件不符"}
    assert api.put(f"{base}/recheck", school, json=failed).status_code == 200
    flagged = api.get(f"{BASE}/admission/rechecks", operator).json()
    assert [r["candidate_id"] for r in flagged] == [season["second"]]
    fraud = {"kind": "fraud", "decision_no": "宁考院〔2024〕1号", "description": "加分材料造假"}
    recorded = api.post(f"{BASE}/candidates/{season['second']}/violations", operator, json=fraud)
    assert recorded.status_code == 201, recorded.text
    listed = api.get(f"{BASE}/schools/{SCHOOL}/admitted", school).json()
    assert season["second"] not in [r["candidate_id"] for r in listed]


def test_fraud_recorded_while_a_run_awaits_approval_wins_at_publication(
    api: Api, cloud: Any
) -> None:
    """R16.1: a sanction wins at every step — here between the merge and publication: the
    run's result, the candidate's answer and the school's list all say cancelled."""
    from tests.support import season_clock

    season_id = "ningxia-sanction-2023"
    people, base = prepare(api, season_id), f"/v1/seasons/{season_id}"
    operator, top = people["operator"], people["top"]
    run_id = api.post(f"{base}/admission/runs", operator, json={}).json()["run_id"]
    assert ended(api, operator, run_id, base=base)["status"] == "awaiting_approval"
    fraud = {"kind": "fraud", "decision_no": "宁考院〔2024〕2号", "description": "学历证明造假"}
    recorded = api.post(f"{base}/candidates/{top}/violations", operator, json=fraud)
    assert recorded.status_code == 201, recorded.text
    for school in (SCHOOL, OTHER):
        approved = {"school": school}
        assert api.post(f"{base}/admission/runs/{run_id}/approvals", operator, json=approved).ok
    assert execution(cloud, run_id)["status"] == "SUCCEEDED"
    with season_clock(season_id, "2024-01-22T09:00:00"):
        mine = api.get("/v1/me/admission", signed_in(api, top, season_id)).json()
    assert (mine["admitted"], mine["cancelled"]) == (False, True), mine
    assert "弄虚作假" in mine["reason"] and "宁考院〔2024〕2号" in mine["reason"]
    listed = api.get(f"{base}/schools/{SCHOOL}/admitted", operator).json()
    assert top not in [r["candidate_id"] for r in listed] and len(listed) == 2


def test_a_step_failing_twice_is_retried_and_one_failing_for_good_publishes_nothing(
    api: Api, cloud: Any, season: dict[str, str]
) -> None:
    from infra.local import iam
    from zhaokao.storage import admission

    operator = season["operator"]
    published = admission.published(SEASON)
    flaky = iam.Fault("AdmissionFunction", "PutObject", "SlowDown", times=2)
    cloud.iam.faults.add(flaky)
    trial = api.post(f"{BASE}/admission/runs", operator, json={"what_if": True}).json()
    assert ended(api, operator, trial["run_id"])["status"] == "done"
    assert flaky not in cloud.iam.faults.pending  # played, and retried past

    broken = iam.Fault("AdmissionFunction", "GetObject", "SlowDown", times=50)
    cloud.iam.faults.add(broken)
    try:
        run = api.post(f"{BASE}/admission/runs", operator, json={"what_if": True}).json()
        failed = ended(api, operator, run["run_id"], seconds=90)
    finally:
        cloud.iam.faults.pending.remove(broken) if broken in cloud.iam.faults.pending else None
    assert failed["status"] == "failed" and "Transient" in (failed["error"] or ""), failed
    assert execution(cloud, run["run_id"])["status"] == "FAILED"
    assert admission.published(SEASON) == published  # nothing published

    denied = iam.Fault("AdmissionFunction", "GetObject", "AccessDenied", times=1)
    cloud.iam.faults.add(denied)  # once: a retry would succeed, so it must not be retried
    run = api.post(f"{BASE}/admission/runs", operator, json={"what_if": True}).json()
    refused = ended(api, operator, run["run_id"])
    assert refused["status"] == "failed" and "AccessDenied" in (refused["error"] or ""), refused
    assert "Transient" not in refused["error"]


HUNAN = "hunan-admit-2024"
HUNAN_PLANS = (
    "院校代码,院校名称,专业代码,专业名称,计划类别,层次,计划数,医学类\n"
    "10530,湘潭示范大学,080901,计算机科学与技术,ordinary,zsb,1,否\n"
    "10530,湘潭示范大学,080901,计算机科学与技术,retired_soldier,zsb,2,否\n"
)


def hunan_candidate(total: int, plan_type: str, special: str | None) -> str:
    """A Hunan graduate approved (with a special category when ``special``), one choice."""
    approvals = {"category": special or "ordinary", "exemption": False, "bonus_points": 0}
    sets = {
        "approvals": approvals,
        "preferences": {
            "plan_type": plan_type,
            "schools": [{"school": "10530", "majors": ["080901"]}],
        },
        "scores": {"zonghe": total},
    }
    return approved(HUNAN, "43001", "hn-adm", sets)


def test_hunan_seats_left_in_a_special_plan_go_to_a_supplementary_round(
    api: Api, cloud: Any
) -> None:
    """R13.3: plans apart by type; the special plan's seat left is filed for (征集志愿) by an
    eligible unadmitted candidate of that type, and a second run fills it."""
    from tests.support import season_clock
    from zhaokao.storage import seasons

    hunan = seasons.get_season("hunan-zsb-2024").policy
    seasons.install(hunan.model_copy(update={"season_id": HUNAN}), "test")
    operator = api.staff_token("operator")
    base = f"/v1/seasons/{HUNAN}"
    assert api.post(f"{base}/catalogue/plans", operator, json={"csv": HUNAN_PLANS}).ok
    soldier = hunan_candidate(300, "retired_soldier", "retired_soldier")  # 1 of 2 special seats
    first = hunan_candidate(290, "ordinary", None)  # the one ordinary seat
    late = hunan_candidate(280, "ordinary", "retired_soldier")  # chose ordinary: full
    plain = hunan_candidate(270, "ordinary", None)  # no special qualification
    lines = {"lines": [{"level": "zsb", "category": "", "line": 200}]}
    assert api.put(f"{base}/admission/lines", operator, json=lines).status_code == 200

    def publish(stage: str) -> dict[str, Any]:
        started = api.post(f"{base}/admission/runs", operator, json={"stage": stage})
        assert started.status_code == 202, started.text
        run_id = started.json()["run_id"]
        deadline = time.monotonic() + 60
        while (run := api.get(f"{base}/admission/runs/{run_id}", operator).json())[
            "status"
        ] == "running":
            assert time.monotonic() < deadline
            time.sleep(0.2)
        for school in run["schools"]:
            body = {"school": school["school"]}
            api.post(f"{base}/admission/runs/{run_id}/approvals", operator, json=body)
        while (run := api.get(f"{base}/admission/runs/{run_id}", operator).json())[
            "status"
        ] == "awaiting_approval":  # the last approval resumes the run, which publishes
            assert time.monotonic() < deadline + 30
            time.sleep(0.2)
        return dict(run)

    main = publish("main")
    assert main["status"] == "published" and main["summary"]["seats_left"] == {
        "ordinary": 0,
        "retired_soldier": 1,
    }
    window = {
        "start": "2024-05-01T09:00:00",
        "end": "2024-05-03T17:00:00",
        "reason": "征集志愿通知",
    }
    assert api.put(f"{base}/windows/supplementary", operator, json=window).ok
    body = {"season_id": HUNAN, "password": "abc12345"}

    def token(cid: str) -> str:
        return str(
            api.post("/v1/auth/token", json={**body, "phone": PHONES[cid]}).json()["access_token"]
        )

    choice = {"school": "10530", "major": "080901", "plan_type": "retired_soldier"}
    with season_clock(HUNAN, "2024-05-02T10:00:00"):
        refused = api.post("/v1/me/supplementary-choice", token(plain), json=choice)
        assert refused.status_code == 422 and refused.json()["error"]["field"] == "plan_type"
        admitted = api.post("/v1/me/supplementary-choice", token(first), json=choice)
        assert admitted.status_code == 422  # admitted already
        filed = api.post("/v1/me/supplementary-choice", token(late), json=choice)
        assert filed.status_code == 200, filed.text
    second = publish("supplementary")
    assert second["status"] == "published" and second["base_run"] == main["run_id"]
    assert second["summary"]["admitted"] == 1
    school = api.staff_token("school-demo")
    listed = api.get(f"{base}/schools/10530/admitted", school).json()
    assert sorted(r["candidate_id"] for r in listed) == sorted([soldier, first, late])
    assert {r["candidate_id"]: r["round"] for r in listed}[late] == 2
    window = {"start": "2024-05-10T09:00:00", "end": "2024-05-20T17:00:00", "reason": "录取查询"}
    assert api.put(f"{base}/windows/admission_query", operator, json=window).ok
    with season_clock(HUNAN, "2024-05-11T10:00:00"):
        mine = api.get("/v1/me/admission", token(late)).json()
        assert (mine["admitted"], mine["reason"]) == (True, "征集志愿录取")
        other = api.get("/v1/me/admission", token(plain)).json()
        assert not other["admitted"] and "已满" in other["reason"]


def test_the_last_approval_and_the_approval_step_meet_in_either_order(
    season: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merge shows a run awaiting approval before its approval step has kept its token:
    whether every list is approved before the step keeps it, after, or while it does, the
    run goes on (a CI run once waited forever here)."""
    from zhaokao.domain.auth import Principal
    from zhaokao.domain.errors import Conflict
    from zhaokao.service import admission_operators as service
    from zhaokao.service import admission_steps as steps
    from zhaokao.storage import admission as store

    resumed: list[str] = []
    monkeypatch.setattr(service.workflows, "resume", lambda token, _: resumed.append(token))
    operator = Principal("operator", frozenset({"operator"}))
    runs = ("race-approved-first", "race-step-first", "race-step-between")
    for run_id in runs:  # as the merge leaves each: two lists to approve, no token yet
        store.create_run(SEASON, run_id, False, [], "test")
        store.update_run(SEASON, run_id, status="awaiting_approval", schools={SCHOOL: 3, OTHER: 1})
    try:
        first, step_first, between = runs
        service.approve(operator, SEASON, first, SCHOOL)
        service.approve(operator, SEASON, first, OTHER)
        assert resumed == []  # no token kept yet: nothing to resume
        steps.await_approval(SEASON, first, "token-1")
        assert resumed == ["token-1"]  # the step finds every list approved and goes on

        read_before = store.run(SEASON, step_first)
        steps.await_approval(SEASON, step_first, "token-2")
        assert resumed == ["token-1"]  # lists left to approve: the step waits
        with pytest.raises(Conflict):  # written on a version from before the token
            store.approve_school(read_before, SCHOOL, "test")
        service.approve(operator, SEASON, step_first, SCHOOL)
        service.approve(operator, SEASON, step_first, OTHER)
        assert resumed == ["token-1", "token-2"]  # the last approval resumes it

        service.approve(operator, SEASON, between, SCHOOL)
        approve_school = store.approve_school

        def step_keeps_its_token_meanwhile(record: Any, school: str, actor: str) -> Any:
            if "token-3" not in resumed and not store.run(SEASON, between).task_token:
                steps.await_approval(SEASON, between, "token-3")  # between read and write
            return approve_school(record, school, actor)

        monkeypatch.setattr(store, "approve_school", step_keeps_its_token_meanwhile)
        assert service.approve(operator, SEASON, between, OTHER).status == "awaiting_approval"
        assert resumed == ["token-1", "token-2", "token-3"]  # retried on the new version
    finally:
        for run_id in runs:
            store.finish(SEASON, run_id, "failed")


def test_a_second_resume_of_one_step_is_nothing_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import ClientError

    from zhaokao.adapters import workflows

    class Closed:
        code = "TaskTimedOut"

        def send_task_success(self, **_: Any) -> None:
            raise ClientError({"Error": {"Code": self.code}}, "SendTaskSuccess")

    closed = Closed()
    monkeypatch.setattr(workflows, "client", lambda _: closed)
    workflows.resume("used", {})  # the task was closed: its run went on
    closed.code = "AccessDeniedException"
    with pytest.raises(ClientError):
        workflows.resume("used", {})


def test_a_run_that_admits_nobody_is_published_only_when_confirmed_and_supersedes_visibly(
    api: Api, cloud: Any
) -> None:
    """Issue 23: a run with no school's list to approve was published at once as 录取 0 人,
    and the list then showed two 已发布 runs. Now the operators name the count they
    publish; exactly one run is in force, and a later publication supersedes the earlier
    one — on the runs' list and in the audit."""
    from zhaokao.storage import admission as store

    season_id = "ningxia-nobody-2023"
    base = f"/v1/seasons/{season_id}"
    operator = prepare(api, season_id)["operator"]
    high = {"lines": [{"level": "zsb", "category": "ligong", "line": 450}]}
    assert api.put(f"{base}/admission/lines", operator, json=high).status_code == 200
    run_id = api.post(f"{base}/admission/runs", operator, json={}).json()["run_id"]
    run = ended(api, operator, run_id, base=base)
    assert run["status"] == "awaiting_approval" and run["schools"] == [], run
    waiting = time.monotonic() + 30
    while not store.run(season_id, run_id).task_token:  # the approval step has started
        assert time.monotonic() < waiting, "the approval step never kept its token"
        time.sleep(0.1)
    assert api.get(f"{base}/admission/runs/{run_id}", operator).json()["status"] == (
        "awaiting_approval"  # nothing to approve is not an approval
    )
    wrong = api.post(f"{base}/admission/runs/{run_id}/publication", operator, json={"admitted": 4})
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "admitted"
    assert "0人" in wrong.json()["error"]["message"]
    confirmed = api.post(
        f"{base}/admission/runs/{run_id}/publication", operator, json={"admitted": 0}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert execution(cloud, run_id)["status"] == "SUCCEEDED"

    low = {"lines": [{"level": "zsb", "category": "ligong", "line": 200}]}
    assert api.put(f"{base}/admission/lines", operator, json=low).status_code == 200
    second = api.post(f"{base}/admission/runs", operator, json={}).json()["run_id"]
    lists = ended(api, operator, second, base=base)["schools"]
    for school in lists:
        body = {"school": school["school"]}
        assert api.post(f"{base}/admission/runs/{second}/approvals", operator, json=body).ok
    assert execution(cloud, second)["status"] == "SUCCEEDED"
    runs = {r["run_id"]: r for r in api.get(f"{base}/admission/runs", operator).json()}
    assert [r for r in runs if runs[r]["in_force"]] == [second]
    assert (runs[run_id]["status"], runs[run_id]["superseded_by"]) == ("superseded", second)
    published = [
        e for e in api.get(f"{base}/audit", operator).json() if e["action"] == "admission_published"
    ]
    assert published and published[0]["after"]["supersedes"] == run_id, published


def test_an_operator_rejects_a_run_awaiting_approval_and_nothing_is_published(
    api: Api, cloud: Any
) -> None:
    """退回: the approval step's wait ends in failure (Step Functions' task failure, with the
    operator's grant), the run is failed with the reason, and no school nor candidate sees
    a result."""
    season_id = "ningxia-rejected-2023"
    people = prepare(api, season_id)
    operator, base = people["operator"], f"/v1/seasons/{season_id}"
    run_id = api.post(f"{base}/admission/runs", operator, json={}).json()["run_id"]
    assert ended(api, operator, run_id, base=base)["status"] == "awaiting_approval"
    url = f"{base}/admission/runs/{run_id}/rejection"
    deadline = time.monotonic() + 30
    while True:  # the step keeps its token just after the merge shows the run awaiting
        refused = api.post(url, operator, json={"reason": "计划数据有误，重新核对后再投档"})
        if refused.status_code != 409 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert refused.status_code == 200, refused.text
    assert execution(cloud, run_id)["status"] == "FAILED"
    run = api.get(f"{base}/admission/runs/{run_id}", operator).json()
    assert run["status"] == "failed" and "计划数据有误" in (run["error"] or ""), run
    school = api.staff_token("school-demo")
    assert api.get(f"{base}/schools/{SCHOOL}/admitted", school).status_code == 422
