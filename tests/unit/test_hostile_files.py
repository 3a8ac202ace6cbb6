"""R17.4: files cannot exhaust a worker. Each worker's inspection runs in a fresh process
on the worst input it accepts and the worst it refuses; its peak memory stays under the
function's MemorySize in template.yaml, and a bomb is a verdict, never an error."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from infra.local.template import ROOT, load

MEMORY = {
    n: int(r["Properties"].get("MemorySize", 1024))
    for n, r in load()["Resources"].items()
    if r["Type"] == "AWS::Serverless::Function"
}
PRELUDE = f"""
import json, sys
sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "layers/common")!r}]
from infra.local.demo import preset
policy = preset("ningxia-adult-2023")
"""
# VmHWM: this process's own peak (ru_maxrss would carry the forking parent's over exec)
PEAK = "hwm = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])\n"
PEAK += "print(json.dumps({'verdict': verdict, 'peak_mb': hwm // 1024}))"


def _run(body: str) -> dict:
    script = PRELUDE + textwrap.dedent(body) + "\n" + PEAK
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    found = dict(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{found['verdict']}: peak {found['peak_mb']} MB")  # the figure, with -s
    return found


UPLOAD = """
import io
from PIL import Image
from zhaokao.domain.documents import inspect_document
rule = next(d for c in policy.categories for d in c.documents) if any(
    c.documents for c in policy.categories) else policy.common_documents[0]
rule = rule.model_copy(update={"max_bytes": 5 * 1024 * 1024, "content_types": ["image/png"]})
"""


def test_the_largest_image_a_worker_accepts_fits_its_memory() -> None:
    found = _run(
        UPLOAD
        + """
data = io.BytesIO(); Image.new("RGB", (6000, 6600), (250, 250, 250)).save(data, "PNG")
verdict = inspect_document(data.getvalue(), "image/png", rule).reason
"""
    )
    assert found["verdict"] == "文件检查通过"  # 39.6 million pixels: accepted
    assert found["peak_mb"] < MEMORY["UploadWorkerFunction"], found


def test_a_decompression_bomb_is_a_verdict_without_decoding() -> None:
    found = _run(
        UPLOAD
        + """
import zlib, struct
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
width = height = 100_000  # ten billion pixels, a few hundred kilobytes
row = b"\\x00" + b"\\x00" * (width // 8)
raw = zlib.compress(row * 2000, 9)  # only the first rows: the header is what matters
header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", header)
png += chunk(b"IDAT", raw) + chunk(b"IEND", b"")
verdict = inspect_document(png, "image/png", rule).reason
"""
    )
    assert found["verdict"] == "图片尺寸过大，请缩小后重新上传"
    assert found["peak_mb"] < 200, found  # refused from the header


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("zips")
    bomb = folder / "bomb.zip"
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z,
        z.open("a.jpg", "w", force_zip64=True) as member,
    ):
        block = b"\xff\xd8\xff" + b"\x00" * (1 << 20)
        for _ in range(1024):  # 1 GB of zeros, a megabyte compressed
            member.write(block)
    many = folder / "many.zip"
    photo = b"\xff\xd8\xff\xe0" + b"\x01" * 30_000 + b"\xff\xd9"
    with zipfile.ZipFile(many, "w", zipfile.ZIP_STORED) as z:
        for n in range(50_000):  # the most members a zip may have, each a real photo's size
            z.writestr(f"{n}.jpg", photo)
    return {"bomb": bomb, "many": many}


@pytest.mark.parametrize("kind,verdict", [("bomb", "照片超过200KB"), ("many", None)])
def test_a_roster_zip_is_read_within_bounds(bombs: dict[str, Path], kind: str, verdict) -> None:
    found = _run(f"""
from zhaokao.service.roster_import import check_archive
checks = check_archive({str(bombs[kind])!r}, policy)
verdict = sorted(set(checks.values()), key=str)[0] if checks else "none"
""")
    assert found["verdict"] == verdict
    assert found["peak_mb"] < MEMORY["RosterWorkerFunction"] / 4, found


def test_the_largest_roster_file_fits_the_splitters_memory() -> None:
    found = _run("""
from infra.local.demo import graduates, roster_files
from zhaokao.domain.roster import read_rows, repeated_ids
from zhaokao.service.roster_import import MAX_CSV_BYTES
csv, _ = roster_files(graduates("43001", 1000))
head, body = csv.split(b"\\n", 1)
data = head + b"\\n" + body * (MAX_CSV_BYTES // len(body))
rows = read_rows(data.decode("utf-8-sig"))
repeats = dict(repeated_ids(rows))
verdict = f"{len(rows)} rows"
""")
    assert found["verdict"].endswith(" rows") and int(found["verdict"].split()[0]) > 100_000
    assert found["peak_mb"] < MEMORY["RosterWorkerFunction"], found
