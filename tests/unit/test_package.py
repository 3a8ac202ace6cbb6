"""Issue 10: a layer the python3.11 runtime can load, built here without Docker."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from infra import package
from infra.local.template import ROOT, load


@pytest.fixture(scope="module")
def layer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return package.build_layer(tmp_path_factory.mktemp("layer") / "CommonLayer")


def test_every_wheel_and_extension_of_the_layer_fits_the_runtime(layer: Path) -> None:
    assert package.check_layer(layer) == []
    extensions = [p.name for p in layer.rglob("*.so")]
    assert any(name.startswith("_rust.abi3") for name in extensions)  # cryptography
    assert any(name.startswith("_cffi_backend") for name in extensions)
    assert any(name.startswith("_imaging") for name in extensions)  # Pillow
    assert (layer / "python/zhaokao/domain/auth.py").is_file()
    assert list((layer / "python/zhaokao/domain/__pycache__").glob("auth.*.pyc"))  # compiled
    assert (layer / "python/zhaokao/fonts/NotoSansCJK-Regular.ttc").is_file()  # PDFs' Chinese
    assert (layer / "python/zhaokao/fonts/wqy-microhei.ttc").is_file()  # the tickets' fast path


def test_a_wheel_or_extension_for_a_newer_glibc_is_named(layer: Path, tmp_path: Path) -> None:
    copy = tmp_path / "layer"
    (copy / "python/fake-1.0.dist-info").mkdir(parents=True)
    (copy / "python/fake-1.0.dist-info/WHEEL").write_text(
        "Wheel-Version: 1.0\nTag: cp311-cp311-manylinux_2_28_x86_64\n"
    )
    so = next(layer.rglob("_cffi_backend*.so"))
    shutil.copy(so, copy / "python" / so.name)
    problems = package.check_layer(copy)
    assert problems == ["fake-1.0.dist-info: ['manylinux_2_28_x86_64']"]
    assert package._fits("manylinux_2_26_x86_64") and not package._fits("manylinux_2_27_x86_64")
    assert not package._fits("macosx_11_0_arm64")


def test_the_built_template_points_at_the_built_code(layer: Path) -> None:
    built = layer.parent  # the layer and, beside it, the functions: as `make package` lays out
    source = load(ROOT / "template.yaml")
    assert package.missing_paths(source, ROOT) == []
    template = package.build_functions(built, source)
    assert package.missing_paths(template, built) == []  # the state machine's definition was not
    assert set(package.local_paths(template)) >= {"CommonLayer", "AdmissionStateMachine"}
    functions = {
        name: res["Properties"]["CodeUri"]
        for name, res in template["Resources"].items()
        if res["Type"] == "AWS::Serverless::Function"
    }
    for name, uri in functions.items():
        assert uri == name and any((built / name).glob("*.py"))
    layer = template["Resources"]["CommonLayer"]
    assert layer["Properties"]["ContentUri"] == "CommonLayer" and "Metadata" not in layer
    json.dumps(template)  # deployable as JSON
