"""The snapshot manifest and its canonical bytes.

The manifest lists everything a snapshot holds: the snapshot itself, every
collection with its completeness, and every page with its request, time, status,
rate-limit headers, SHA-256 and size. Its SHA-256 is the snapshot's *root hash*,
and the deployment's evidence key signs its bytes (pure Ed25519, RFC 8032 §5.1),
so one signature vouches for every page.

Canonical form (what an auditor recomputes; ``docs/evidence.md`` shows it):

- JSON (RFC 8259) encoded in ASCII: every character outside U+0020..U+007E is
  written as ``\\uXXXX`` with lower-case hex (a UTF-16 surrogate pair above
  U+FFFF), except ``\\n \\r \\t \\b \\f`` which use their short escapes; ``"``
  and ``\\`` are escaped, ``/`` is not;
- object members sorted by key, comparing code points; array order is meaning
  (collections by name, pages by sequence);
- no whitespace outside strings: ``,`` and ``:`` are the only separators;
- values are strings, integers (decimal, no sign for non-negative, no exponent),
  ``true``, ``false``, ``null``, arrays and objects; never a fraction or a
  float, so no number formatting question arises;
- times are strings ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC, always six digits of
  fraction;
- no trailing newline.

This is exactly Python's ``json.dumps(m, sort_keys=True, separators=(",", ":"))``
and, for ASCII data, ``jq --compact-output --sort-keys --ascii-output``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from atomation.snapshot.evidence.records import CollectionRecord, PageRecord

__all__ = [
    "MANIFEST_FORMAT",
    "ManifestSnapshot",
    "canonical_json",
    "encode_manifest",
    "format_time",
]

MANIFEST_FORMAT = "atomation-evidence-manifest/1"


def canonical_json(value: Any) -> bytes:
    """The canonical bytes of ``value`` (see the module docstring)."""
    _refuse_non_canonical(value, "manifest")
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def _refuse_non_canonical(value: Any, where: str) -> None:
    if isinstance(value, float):
        raise ValueError(f"{where}: floats have no canonical form here; use an integer")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{where}: object keys must be strings")
            _refuse_non_canonical(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _refuse_non_canonical(item, f"{where}[{index}]")
    elif value is not None and not isinstance(value, str | int | bool):
        raise ValueError(f"{where}: {type(value).__name__} is not a JSON value")


def format_time(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC."""
    if moment.tzinfo is None:
        raise ValueError("manifest times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _optional_time(moment: datetime | None) -> str | None:
    return None if moment is None else format_time(moment)


@dataclass(frozen=True)
class ManifestSnapshot:
    """The snapshot facts a manifest opens with."""

    id: str
    tenant: str
    """The tenant's subdomain."""
    org_url: str
    options: dict[str, Any]
    started_at: datetime
    finished_at: datetime


def encode_manifest(
    snapshot: ManifestSnapshot,
    collections: Iterable[tuple[CollectionRecord, Sequence[PageRecord]]],
    *,
    key_id: str,
    key_fingerprint: str,
) -> bytearray:
    """The manifest's canonical bytes, encoded one collection at a time.

    ``collections`` yields each collection with its pages, collections in
    ascending name order (code points) and pages by sequence; anything else is
    refused, since the order is part of what the signature covers. Only one
    collection's entry is held as Python objects at a time, so a snapshot of a
    100,000-user org (about as many collections) costs its bytes and little more.

    The bytes equal :func:`canonical_json` of the whole document: ``collections``
    is the first key in sorted order, so its array opens the object and the other
    members follow it. ``key_fingerprint`` is the SHA-256 of the evidence public
    key's DER SubjectPublicKeyInfo, which ``openssl pkey -pubin -outform DER |
    sha256sum`` reproduces from the exported PEM.
    """
    others = {
        "format": MANIFEST_FORMAT,
        "snapshot": {
            "id": snapshot.id,
            "tenant": snapshot.tenant,
            "org_url": snapshot.org_url,
            "options": snapshot.options,
            "started_at": format_time(snapshot.started_at),
            "finished_at": format_time(snapshot.finished_at),
        },
        "evidence_key": {
            "id": key_id,
            "algorithm": "Ed25519",
            "fingerprint": key_fingerprint,
        },
    }
    out = bytearray(b'{"collections":[')
    previous: str | None = None
    for collection, pages in collections:
        if previous is not None and collection.name <= previous:
            raise ValueError(
                f"manifest collections out of order: {collection.name!r} "
                f"after {previous!r}"
            )
        if previous is not None:
            out += b","
        out += canonical_json(_collection_entry(collection, pages))
        previous = collection.name
    out += b"],"
    out += canonical_json(others)[1:]
    return out


def _collection_entry(
    collection: CollectionRecord, pages: Sequence[PageRecord]
) -> dict[str, Any]:
    if collection.completeness is None:
        raise ValueError(f"collection {collection.name} is still open")
    return {
        "name": collection.name,
        "completeness": collection.completeness.value,
        "error": collection.error,
        "retries": collection.retries,
        "missing": collection.missing,
        "objects": collection.objects,
        "started_at": format_time(collection.started_at),
        "finished_at": _optional_time(collection.finished_at),
        "pages": _page_entries(collection.name, pages),
    }


def _page_entries(collection: str, pages: Sequence[PageRecord]) -> list[dict[str, Any]]:
    sequences = [page.sequence for page in pages]
    if sequences != sorted(set(sequences)):
        raise ValueError(f"manifest pages of {collection} out of order: {sequences}")
    return [_page_entry(page) for page in pages]


def _page_entry(page: PageRecord) -> dict[str, Any]:
    return {
        "sequence": page.sequence,
        "request": page.request,
        "next": page.next_request,
        "time": format_time(page.fetched_at),
        "status": page.status,
        "rate_limit": dict(page.rate_limit),
        "sha256": page.sha256,
        "size": page.size,
    }
