"""The local cloud checks a signed upload form as S3 does (moto alone stores anything): one
candidate cannot write into another's upload path, nor past the size, nor another type."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import requests

from tests.support import PERSONAL, SEEDS, Api, jpeg, register_ningxia


@pytest.fixture(scope="module")
def forms(api: Api) -> dict[str, Any]:
    """Two candidates' photo forms."""
    made = {}
    for who, number in (("mine", "15800102030"), ("theirs", "15800102031")):
        PERSONAL.add(number)
        _, token = register_ningxia(api, number, next(SEEDS))
        form = api.post(
            "/v1/me/uploads", token, json={"code": "photo", "content_type": "image/jpeg"}
        )
        assert form.status_code == 201, form.text
        made[who] = form.json()
    return made


def post(form: dict[str, Any], data: bytes, **changed: str) -> requests.Response:
    fields = {**form["fields"], **changed}
    return requests.post(form["url"], data=fields, files={"file": ("f.jpg", data)}, timeout=30)


def refusal(r: requests.Response) -> str:
    return r.text.split("<Code>")[1].split("</Code>")[0]


def stored(cloud: Any, key: str) -> bool:
    listed = cloud.client("s3").list_objects_v2(Bucket=cloud.refs["UploadBucket"], Prefix=key)
    return bool(listed.get("KeyCount"))


def test_a_form_opens_its_own_key_only(cloud: Any, forms: dict[str, Any]) -> None:
    mine, theirs = forms["mine"], forms["theirs"]
    r = post(mine, jpeg(), key=theirs["key"])
    assert r.status_code == 403 and refusal(r) == "AccessDenied" and "key" in r.text
    assert not stored(cloud, theirs["key"])
    r = post(mine, jpeg(), key=mine["key"].rsplit("/", 1)[0] + "/other.jpg")
    assert r.status_code == 403


def test_size_type_signature_and_extra_fields_are_held_to_the_policy(
    forms: dict[str, Any],
) -> None:
    mine = forms["mine"]
    policy = json.loads(base64.b64decode(mine["fields"]["policy"]))
    _, high = next(c[1:] for c in policy["conditions"] if isinstance(c, list))
    too_big = post(mine, b"\xff" * (high + 1))
    assert too_big.status_code == 400 and refusal(too_big) == "EntityTooLarge"
    empty = post(mine, b"")
    assert empty.status_code == 400 and refusal(empty) == "EntityTooSmall"
    html = post(mine, jpeg(), **{"Content-Type": "text/html"})
    assert html.status_code == 403 and "Content-Type" in html.text
    forged = post(mine, jpeg(), **{"x-amz-signature": "0" * 64})
    assert forged.status_code == 403 and refusal(forged) == "SignatureDoesNotMatch"
    extra = post(mine, jpeg(), **{"acl": "public-read"})
    assert extra.status_code == 403 and "Extra input fields: acl" in extra.text
    assert post(mine, jpeg()).status_code == 204  # the form as given still works


def test_an_expired_form_is_refused(cloud: Any) -> None:
    from zhaokao.adapters.clients import client

    form = client("s3").generate_presigned_post(
        cloud.refs["UploadBucket"], "uploads/expired.jpg", ExpiresIn=-1
    )
    r = requests.post(form["url"], data=form["fields"], files={"file": ("f", b"x")}, timeout=30)
    assert r.status_code == 403 and "Policy expired" in r.text
