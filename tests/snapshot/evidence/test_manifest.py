from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from atomation.snapshot.evidence import canonical_json


def test_canonical_form_sorts_keys_and_has_no_whitespace() -> None:
    value = {"b": [1, {"z": None, "a": True}], "a": "x y", "\u00e9": "\u2603"}

    assert canonical_json(value) == (
        b'{"a":"x y","b":[1,{"a":true,"z":null}],"\\u00e9":"\\u2603"}'
    )


def test_canonical_form_escapes_everything_outside_printable_ascii() -> None:
    assert canonical_json(['\x7f\n\t/"\\', "\U0001f512"]) == (
        b'["\\u007f\\n\\t/\\"\\\\","\\ud83d\\udd12"]'
    )


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
