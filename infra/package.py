"""``make package``: the deployable artefacts, as ``sam build`` lays them out, without Docker.

    build/CommonLayer/python/…   the layer: wheels for the Lambda runtime's platform
                                 (layers/common/Makefile, the same target sam build runs)
    build/<Function>/…           each function's code
    build/template.json          template.yaml pointing at them

Then ``sam deploy --template-file build/template.json`` (or ``aws cloudformation package``)
deploys them. ``check_layer`` is what the suite asserts of the layer.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .local.template import ROOT, load

BUILD = ROOT / "build"
MAX_GLIBC = (2, 26)  # Amazon Linux 2, the python3.11 runtime
_WHEEL_TAG = re.compile(r"^Tag: (\S+)-(\S+)-(\S+)$", re.M)
_MANYLINUX = re.compile(r"manylinux_(\d+)_(\d+)_x86_64")


def build_layer(target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    subprocess.run(
        [
            "make",
            "-s",
            "-C",
            str(ROOT / "layers/common"),
            "build-CommonLayer",
            f"ARTIFACTS_DIR={target}",
        ],
        check=True,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
    )
    return target


def _fits(platform: str) -> bool:
    if platform in ("any", "manylinux1_x86_64", "manylinux2010_x86_64", "manylinux2014_x86_64"):
        return True
    found = _MANYLINUX.fullmatch(platform)
    return bool(found) and (int(found[1]), int(found[2])) <= MAX_GLIBC


def check_layer(layer: Path) -> list[str]:
    """What in the layer the runtime could not load: a wheel built for a newer glibc or
    another platform, or a compiled extension asking for a newer glibc than 2.26."""
    problems = []
    for wheel in sorted(layer.glob("python/*.dist-info/WHEEL")):
        tags = _WHEEL_TAG.findall(wheel.read_text())
        if not any(_fits(p) for _, _, platform in tags for p in platform.split(".")):
            problems.append(f"{wheel.parent.name}: {sorted({t[2] for t in tags})}")
    for library in sorted(layer.rglob("*.so*")):
        needed = _glibc_versions(library)
        if needed and max(needed) > MAX_GLIBC:
            problems.append(f"{library.relative_to(layer)}: needs GLIBC {max(needed)}")
    return problems


def _glibc_versions(library: Path) -> list[tuple[int, int]]:
    dump = subprocess.run(["objdump", "-T", str(library)], capture_output=True, text=True)
    return [(int(a), int(b)) for a, b in re.findall(r"GLIBC_(\d+)\.(\d+)", dump.stdout)]


# the properties that name a local path, which `sam deploy` uploads and replaces by S3's
LOCAL_PATHS = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
    "AWS::Serverless::StateMachine": "DefinitionUri",
    "AWS::Serverless::Api": "DefinitionUri",
    "AWS::Serverless::HttpApi": "DefinitionUri",
}


def local_paths(template: dict[str, Any]) -> dict[str, str]:
    """Resource -> the local path it names (a path as text; an S3 location is not local)."""
    found = {}
    for logical, res in template["Resources"].items():
        path = res.get("Properties", {}).get(LOCAL_PATHS.get(res["Type"], ""))
        if isinstance(path, str):
            found[logical] = path
    return found


def missing_paths(template: dict[str, Any], base: Path) -> list[str]:
    """What the template names that is not there, read from ``base`` (its folder)."""
    return [f"{r}: {p}" for r, p in local_paths(template).items() if not (base / p).exists()]


def build_functions(target: Path, template: dict[str, Any]) -> dict[str, Any]:
    """Each function's code in its own folder, each state machine's definition beside it,
    and the template pointing at them from ``target``."""
    for logical, res in template["Resources"].items():
        props = res.get("Properties", {})
        if res["Type"] == "AWS::Serverless::Function":
            folder = target / logical
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(
                ROOT / props["CodeUri"], folder, ignore=shutil.ignore_patterns("__pycache__")
            )
            props["CodeUri"] = logical
        elif res["Type"] == "AWS::Serverless::LayerVersion":
            props["ContentUri"] = logical
            res.pop("Metadata", None)  # built already
        elif isinstance(props.get("DefinitionUri"), str):
            definition = ROOT / props["DefinitionUri"]
            (target / logical).mkdir(parents=True, exist_ok=True)
            shutil.copy(definition, target / logical / definition.name)
            props["DefinitionUri"] = f"{logical}/{definition.name}"
    return template


def main() -> int:
    BUILD.mkdir(exist_ok=True)
    layer = build_layer(BUILD / "CommonLayer")
    problems = check_layer(layer)
    if problems:
        print("the layer holds what the Lambda runtime cannot load:", *problems, sep="\n  ")
        return 1
    template = build_functions(BUILD, load(ROOT / "template.yaml"))
    missing = missing_paths(template, BUILD)
    if missing:
        print("the packaged template names what is not there:", *missing, sep="\n  ")
        return 1
    (BUILD / "template.json").write_text(json.dumps(template, ensure_ascii=False, indent=1))
    size = sum(f.stat().st_size for f in layer.rglob("*") if f.is_file()) / 2**20
    functions = [r for r in template["Resources"].values() if r["Type"].endswith("::Function")]
    print(
        f"built build/: the layer ({size:.0f} MB; every wheel and extension fits glibc "
        f"{MAX_GLIBC[0]}.{MAX_GLIBC[1]}), {len(functions)} functions, template.json\n"
        "deploy with: sam deploy --template-file build/template.json --guided"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
