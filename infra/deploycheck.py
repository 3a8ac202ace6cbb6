"""``make deploy-check``: a deploy's dry run without credentials, and the template linted as
CloudFormation will see it.

cfn-lint skips the dependency checks that pass through ``AWS::Serverless::*`` resources, so
a cycle through a function (bucket → distribution → API → function → bucket) showed only on
the template as SAM transforms it. Here the template is transformed by aws-sam-translator
(SAM's own) once per partition (aws-cn for both China regions, aws) — a local path stands
in as an S3 location, as ``sam deploy`` will upload it — and cfn-lint reads the result;
then the packaged template (``make package``'s layout) must name only paths that exist, and
checkov (in a virtualenv of its own, infra/checkov.yaml) finds nothing that is not skipped
with its reason.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .local.template import ROOT, load
from .package import LOCAL_PATHS, build_functions, local_paths, missing_paths

PARTITIONS = {"aws-cn": ("cn-northwest-1", "cn-north-1"), "aws": ("us-east-1",)}


def transformed(template: dict[str, Any], region: str) -> dict[str, Any]:
    """``template`` as CloudFormation receives it in ``region`` (its partition: aws-cn in
    the China regions)."""
    import boto3
    from samtranslator.metrics.metrics import Metrics
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    source = copy.deepcopy(template)
    for logical in local_paths(source):
        res = source["Resources"][logical]
        res["Properties"][LOCAL_PATHS[res["Type"]]] = f"s3://zhaokao-artifacts/{logical}"
    session = boto3.session.Session(region_name=region)
    metrics = Metrics()  # the translator's timings, published to nowhere (it warns if not)
    translator = Translator(None, Parser(), boto_session=session, metrics=metrics)
    done = dict(translator.translate(source, {}, get_managed_policy_map=dict))
    metrics.publish()
    return done


# W1020 (a Sub with nothing to substitute): the translator fills in parameters' defaults
# (``zhaokao-common-${Stage}`` becomes ``zhaokao-common-prod`` inside its Sub)
TRANSFORM_ARTEFACTS = ["--ignore-checks", "W1020"]


def lint(path: Path, regions: tuple[str, ...]) -> subprocess.Popen[str]:
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    rules = ["--append-rules", str(ROOT / "infra/lint_rules"), *TRANSFORM_ARTEFACTS]
    command = [str(cfn_lint), *rules, "--regions", *regions, "--", str(path)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def lint_transformed(folder: Path) -> list[str]:
    """cfn-lint's findings on the template as transformed for each partition's regions
    (none: deployable); the partitions linted side by side."""
    template = load(ROOT / "template.yaml")
    running = {}
    for partition, regions in PARTITIONS.items():
        path = folder / f"transformed-{partition}.json"
        path.write_text(json.dumps(transformed(template, regions[0]), indent=1), encoding="utf-8")
        running[partition] = lint(path, regions)
    problems = []
    for partition, process in running.items():
        output, _ = process.communicate()
        if process.returncode != 0:
            problems.append(f"{partition} ({', '.join(PARTITIONS[partition])}):\n{output}")
    return problems


CHECKOV = ROOT / ".venv/checkov/bin/checkov"


def checkov() -> list[str]:
    """checkov's failed checks on the template (none: each is fixed or skipped with its
    reason, in infra/checkov.yaml or beside its resource)."""
    command = [str(CHECKOV), "--config-file", str(ROOT / "infra/checkov.yaml")]
    done = subprocess.run(
        [*command, "-f", str(ROOT / "template.yaml"), "-o", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    failed = report["results"]["failed_checks"]
    return [f"checkov: {f['check_id']} {f['resource']}: {f['check_name']}" for f in failed]


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        problems = lint_transformed(Path(folder))
        packaged = build_functions(Path(folder), load(ROOT / "template.yaml"))
        (Path(folder) / "CommonLayer").mkdir()  # make package builds it; its path is checked
        problems += [f"packaged template: {m}" for m in missing_paths(packaged, Path(folder))]
    problems += checkov()
    for problem in problems:
        print(problem)
    print(
        "deploy-check: transformed and linted for cn-northwest-1, cn-north-1 and us-east-1,"
        " packaged paths checked, checkov"
        f" — {len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
