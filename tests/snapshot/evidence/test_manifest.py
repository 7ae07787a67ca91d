from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from atomation.snapshot.evidence import canonical_json
from atomation.snapshot.evidence.manifest import ManifestSnapshot, encode_manifest
from atomation.snapshot.evidence.records import (
    CollectionRecord,
    Completeness,
    PageRecord,
)

MOMENT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SNAPSHOT = ManifestSnapshot(
    id="s1",
    tenant="acme",
    org_url="https://acme.okta.com",
    options={"logs": "security"},
    started_at=MOMENT,
    finished_at=MOMENT,
)


def _collection(name: str) -> CollectionRecord:
    return CollectionRecord(
        name=name,
        completeness=Completeness.COMPLETE,
        error=None,
        retries=0,
        missing=None,
        pages=0,
        objects=0,
        started_at=MOMENT,
        finished_at=MOMENT,
    )


def _page(collection: str, sequence: int) -> PageRecord:
    return PageRecord(
        collection=collection,
        sequence=sequence,
        request=f"/api/v1/users?page={sequence}",
        next_request=None,
        fetched_at=MOMENT,
        status=200,
        rate_limit={"X-Rate-Limit-Remaining": "9"},
        sha256="0" * 64,
        size=2,
    )


def _encode(*entries: tuple[CollectionRecord, list[PageRecord]]) -> bytes:
    return bytes(encode_manifest(SNAPSHOT, entries, key_id="k1", key_fingerprint="f"))


def test_canonical_form_sorts_keys_and_has_no_whitespace() -> None:
    value = {"b": [1, {"z": None, "a": True}], "a": "x y", "\u00e9": "\u2603"}

    assert canonical_json(value) == (
        b'{"a":"x y","b":[1,{"a":true,"z":null}],"\\u00e9":"\\u2603"}'
    )


def test_canonical_form_escapes_everything_outside_printable_ascii() -> None:
    assert canonical_json(['\x7f\n\t/"\\', "\U0001f512"]) == (
        b'["\\u007f\\n\\t/\\"\\\\","\\ud83d\\udd12"]'
    )


def test_a_manifest_encoded_in_pieces_is_the_canonical_form_of_the_whole() -> None:
    encoded = _encode(
        (_collection("groups"), []),
        (_collection("users"), [_page("users", 1), _page("users", 2)]),
    )

    document = json.loads(encoded)
    assert canonical_json(document) == encoded
    assert list(document) == ["collections", "evidence_key", "format", "snapshot"]
    assert [p["sequence"] for p in document["collections"][1]["pages"]] == [1, 2]
    assert canonical_json(json.loads(_encode())) == _encode()


def test_a_manifest_refuses_collections_out_of_order() -> None:
    with pytest.raises(ValueError, match="'groups' after 'users'"):
        _encode((_collection("users"), []), (_collection("groups"), []))
    with pytest.raises(ValueError, match="out of order"):
        _encode((_collection("users"), []), (_collection("users"), []))


def test_a_manifest_refuses_pages_out_of_order() -> None:
    with pytest.raises(ValueError, match="pages of users out of order"):
        _encode((_collection("users"), [_page("users", 2), _page("users", 1)]))


def test_floats_have_no_canonical_form() -> None:
    with pytest.raises(ValueError, match="floats"):
        canonical_json({"window": 1.5})


def test_jq_reproduces_the_canonical_form() -> None:
    jq = shutil.which("jq")
    if jq is None:
        pytest.skip("jq is not installed")
    value = {
        "snapshot": {"id": "abc", "options": {"window_days": 90, "logs": "security"}},
        "pages": [{"request": "/api/v1/users?limit=2&after=00u2", "size": 4096}],
        "note": "caf\u00e9 \x7f\U0001f512",
    }
    loose = json.dumps(value, indent=2, ensure_ascii=False).encode("utf-8")

    result = subprocess.run(
        [jq, "--compact-output", "--sort-keys", "--ascii-output", "--join-output", "."],
        input=loose,
        capture_output=True,
        check=True,
    )

    assert result.stdout == canonical_json(value)
