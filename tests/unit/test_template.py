"""The cloud, described once: template.yaml lints, and the code agrees with it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from infra.local.template import ROOT, load, stack
from zhaokao.storage.models import ALL_MODELS

TEMPLATE = load()
RESOURCES = TEMPLATE["Resources"]


def test_cfn_lint_passes_in_the_china_regions_and_a_global_one() -> None:
    """R17.5: the stack deploys where an authority's data must live, and elsewhere."""
    lint = Path(sys.executable).parent / "cfn-lint"
    regions = ["cn-northwest-1", "cn-north-1", "us-east-1"]
    rules = ["--append-rules", str(ROOT / "infra/lint_rules")]
    result = subprocess.run(
        [str(lint), *rules, "--regions", *regions, "--", str(ROOT / "template.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_template_as_sam_transforms_it_lints_clean_in_every_region(tmp_path: Path) -> None:
    """cfn-lint skips the cycles that pass through ``AWS::Serverless::*`` resources: only the
    transformed template showed that bucket → distribution → API → function → bucket would
    not deploy (issue 24)."""
    from infra.deploycheck import lint_transformed

    assert lint_transformed(tmp_path) == []


def test_arns_and_urls_name_no_partition_or_domain_of_their_own() -> None:
    """``${AWS::Partition}`` and ``${AWS::URLSuffix}``: aws-cn and amazonaws.com.cn in China."""
    text = (ROOT / "template.yaml").read_text(encoding="utf-8")
    assert "arn:aws:" not in text
    # Service principals keep their global names in the China regions (s3.amazonaws.com);
    # every other use of the domain would be an endpoint written out.
    written_out = [
        line for line in text.splitlines() if "amazonaws.com" in line and "Principal" not in line
    ]
    assert not written_out


def test_every_reference_to_the_upload_bucket_names_it_as_it_is_named() -> None:
    """Policies name the bucket by its name (a Ref would close a cycle through the web
    distribution): each must be the bucket's own name, or S3 cannot validate the queues it
    notifies and the stack does not deploy (the queue policies had lost the region)."""
    text = (ROOT / "template.yaml").read_text(encoding="utf-8")
    name = RESOURCES["UploadBucket"]["Properties"]["BucketName"]["Fn::Sub"]
    named = re.findall(r"zhaokao-uploads-[^\s\"/]*", text)
    assert len(named) > 10
    assert set(named) == {name}


def test_no_service_the_china_regions_lack() -> None:
    kinds = {r["Type"] for r in RESOURCES.values()}
    assert not {k for k in kinds if k.startswith("AWS::Cognito::")}  # no user pools there
    # SMS by SNS only where the operator chose it (global regions): every grant is conditional
    grants = [r for r in RESOURCES.values() if "sns:Publish" in str(r)]
    assert all("SmsBySns" in str(r) for r in grants)


def _keys(schema: list[dict]) -> dict[str, str]:
    return {k["KeyType"]: k["AttributeName"] for k in schema}


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_every_model_matches_its_table(model) -> None:
    table = RESOURCES[model.Meta.table_name]["Properties"]
    meta = model._hash_keyname, model._range_keyname
    assert _keys(table["KeySchema"]) == {
        k: v for k, v in zip(("HASH", "RANGE"), meta, strict=True) if v
    }
    declared = {d["AttributeName"]: d["AttributeType"] for d in table["AttributeDefinitions"]}
    attributes = model.get_attributes()
    for name, kind in declared.items():
        assert attributes[name].attr_type == kind, name
    indexes = {i["IndexName"]: i for i in table.get("GlobalSecondaryIndexes", [])}
    ours = {
        index.Meta.index_name: index
        for index in vars(model).values()
        if hasattr(index, "Meta") and hasattr(index.Meta, "index_name")
    }
    assert set(ours) == set(indexes)
    for name, index in ours.items():
        keys = {
            ("HASH" if a.is_hash_key else "RANGE"): a.attr_name
            for a in index.Meta.attributes.values()
            if a.is_hash_key or a.is_range_key
        }
        assert _keys(indexes[name]["KeySchema"]) == keys, name


def _lint(path: Path) -> str:
    lint = Path(sys.executable).parent / "cfn-lint"
    rules = ROOT / "infra/lint_rules"
    run = subprocess.run(
        [str(lint), "--append-rules", str(rules), "--", str(path)], capture_output=True, text=True
    )
    return run.stdout + run.stderr


def test_our_own_lint_rules_hold_and_catch_what_they_promise(tmp_path: Path) -> None:
    """Every queue has a DLQ and every DLQ an alarm (E9001); every table keeps its data
    (E9002); no grant on * where a resource can be named (E9003)."""
    assert _lint(ROOT / "template.yaml") == ""
    text = (ROOT / "template.yaml").read_text(encoding="utf-8")
    pitr = "      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n"
    alarm = text[text.index("  PaymentDLQAlarm:") : text.index("  AlarmTopic:")]
    broken = (
        text.replace(pitr, "", 1)
        .replace(alarm, "")
        .replace(
            "              Resource: !GetAtt CandidatesTable.Arn\n",
            '              Resource: "*"\n',
            1,
        )
    )
    copy = tmp_path / "template.yaml"
    copy.write_text(broken, encoding="utf-8")
    found = _lint(copy)
    assert "E9001 PaymentDLQ (a DLQ) has no depth alarm" in found
    assert "E9002 SeasonsTable lacks point-in-time recovery" in found
    assert "E9003 ReviewFunction: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] on *" in found


def test_every_queue_has_a_consumer_that_reports_failures_and_a_long_enough_visibility() -> None:
    s = stack(TEMPLATE)
    queues = s.of_type("AWS::SQS::Queue")
    dlqs = {
        q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for q in queues.values()
        if "RedrivePolicy" in q["Properties"]
    }
    for name, queue in queues.items():
        if name in dlqs:
            continue
        props = queue["Properties"]
        assert int(props["RedrivePolicy"]["maxReceiveCount"]) >= 1
        consumers = [src for src in s.queue_sources if src.queue == name]
        assert consumers, f"{name} has no consumer"
        for src in consumers:
            timeout = s.functions[src.function].timeout
            assert int(props["VisibilityTimeout"]) >= 6 * timeout, name
            assert src.report_failures, f"{src.function} must report partial batch failures"


def test_every_route_belongs_to_a_handler_route() -> None:
    from infra.openapi import document

    paths = document()["paths"]
    for route in stack(TEMPLATE).routes:
        if route.path in ("/v1/openapi.json", "$default"):
            continue  # the document itself; what no route matches (answered 404)
        assert route.method.lower() in paths.get(route.path, {})


def test_layer_requirements_match_the_project_pins() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    block = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    project = set(re.findall(r'"([^"]+==[^"]+)"', block))
    layer = {
        line.strip()
        for line in (ROOT / "layers/common/requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert project == layer


def test_the_served_openapi_document_is_fresh() -> None:
    from infra.openapi import TARGET, render

    assert TARGET.read_text(encoding="utf-8") == render(), "run: python -m infra.openapi"


def test_the_openapi_document_is_valid_and_generators_can_name_its_package() -> None:
    from openapi_spec_validator import validate

    from infra.openapi import TARGET

    document = json.loads(TARGET.read_text(encoding="utf-8"))
    validate(document)  # every $ref resolves (a dangling ValidationError did not)
    assert document["info"]["title"].isascii()
    files = [
        body["schema"]
        for item in document["paths"].values()
        for operation in item.values()
        for answer in operation["responses"].values()
        for kind, body in answer.get("content", {}).items()
        if kind != "application/json"
    ]
    assert files and all(f == {"type": "string", "format": "binary"} for f in files)


def test_checkov_finds_nothing_not_skipped_with_its_reason() -> None:
    """Issue 24: every finding of checkov (pinned, infra/checkov-requirements.txt) is fixed,
    or skipped with the reason it does not apply — once for the stack in infra/checkov.yaml,
    or beside its resource."""
    from infra.deploycheck import checkov

    assert checkov() == []
    lines = (ROOT / "infra/checkov.yaml").read_text(encoding="utf-8").splitlines()
    skipped = [i for i, line in enumerate(lines) if line.strip().startswith("- CKV_")]
    assert skipped and all(lines[i - 1].strip().startswith("#") for i in skipped)
    beside = [
        skip
        for res in RESOURCES.values()
        for skip in res.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert beside and all(len(skip.get("comment", "")) > 40 for skip in beside)
