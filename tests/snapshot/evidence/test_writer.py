from __future__ import annotations

import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from atomation.snapshot.evidence import (
    CollectionClosed,
    CollectionHandle,
    Completeness,
    EvidenceError,
    EvidencePublicKey,
    EvidenceReader,
    EvidenceStore,
    EvidenceWriter,
    SnapshotNotSealable,
    canonical_json,
    path_and_query,
)
from atomation.store import EvidencePage, Snapshot, Store
from tests.snapshot.evidence.conftest import (
    SIGN_ON_PAGE,
    T0,
    USERS_PAGES,
    Capture,
    rate_limit,
)


def test_pages_read_back_byte_exact_and_in_order(
    capture: Capture, reader: EvidenceReader
) -> None:
    pages = list(reader.bodies(capture.snapshot_id, "users"))

    assert [body for _, body in pages] == [body for _, _, body in USERS_PAGES]
    assert [page.sequence for page, _ in pages] == [1, 2, 3]
    assert [page.request for page, _ in pages] == [req for req, _, _ in USERS_PAGES]
    assert pages[0][0].next_request == "/api/v1/users?limit=2&after=00u2"
    assert pages[-1][0].next_request is None


def test_a_page_record_holds_what_the_response_said(
    capture: Capture, reader: EvidenceReader
) -> None:
    (page,) = reader.pages(capture.snapshot_id, "policies:OKTA_SIGN_ON")

    assert page.request == "/api/v1/policies?type=OKTA_SIGN_ON"
    assert page.fetched_at == T0
    assert page.status == 200
    assert page.rate_limit == rate_limit(99)
    assert page.sha256 == hashlib.sha256(SIGN_ON_PAGE).hexdigest()
    assert page.size == len(SIGN_ON_PAGE)


def test_collections_carry_their_completeness(
    capture: Capture, reader: EvidenceReader
) -> None:
    collections = {c.name: c for c in reader.collections(capture.snapshot_id)}

    assert sorted(collections) == ["logs", "policies:OKTA_SIGN_ON", "users", "zones"]
    assert collections["users"].completeness is Completeness.COMPLETE
    assert (collections["users"].pages, collections["users"].objects) == (3, 3)
    logs = collections["logs"]
    assert logs.completeness is Completeness.NOT_COLLECTED
    assert logs.missing == "okta.logs.read scope"
    assert logs.pages == 0


def test_identical_bodies_in_two_collections_are_one_object(
    capture: Capture, reader: EvidenceReader
) -> None:
    (zones,) = reader.pages(capture.snapshot_id, "zones")
    last_users = reader.pages(capture.snapshot_id, "users")[-1]

    assert zones.sha256 == last_users.sha256


def test_only_the_rate_limit_headers_are_kept(
    writer: EvidenceWriter, tenant_id: str, store: Store
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    groups = writer.open_collection(snapshot_id, "groups")
    headers = {
        "authorization": "DPoP eyJhbGciOiJFUzI1NiJ9.secret-token",
        "dpop": "eyJ0eXAiOiJkcG9wK2p3dCJ9.proof",
        "set-cookie": "sid=102abc",
        "x-rate-limit-limit": "500",
        "x-rate-limit-remaining": "498",
        "x-rate-limit-reset": "1796029260",
        "x-okta-request-id": "reqVy8wlRkd",
    }

    page = groups.add_page("/api/v1/groups", T0, 200, headers, b"[]")

    assert page.rate_limit == {
        "X-Rate-Limit-Limit": "500",
        "X-Rate-Limit-Remaining": "498",
        "X-Rate-Limit-Reset": "1796029260",
    }
    with store.session() as session:
        row = session.scalars(select(EvidencePage)).one()
        stored = json.dumps(row.rate_limit) + row.request
    for secret in ("secret-token", "proof", "sid=", "reqVy8wlRkd"):
        assert secret not in stored


@pytest.mark.parametrize(
    "request_target",
    ["https://acme.okta.com/api/v1/users", "//acme.okta.com/api/v1/users", "api/v1"],
)
def test_a_request_with_a_host_is_refused(
    writer: EvidenceWriter, tenant_id: str, request_target: str
) -> None:
    users = writer.open_collection(writer.begin_snapshot(tenant_id, {}), "users")

    with pytest.raises(EvidenceError, match="path and query"):
        users.add_page(request_target, T0, 200, {}, b"[]")


def test_a_stopped_capture_resumes_after_its_last_stored_page(
    writer: EvidenceWriter, tenant_id: str, store: Store, evidence: EvidenceStore
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    logs = writer.open_collection(snapshot_id, "logs")
    first, second, third = (
        "/api/v1/logs?limit=1000",
        "/api/v1/logs?limit=1000&after=1_1",
        "/api/v1/logs?limit=1000&after=2_1",
    )
    logs.add_page(first, T0, 200, {}, b"[1]", next_request=second)
    logs.add_page(second, T0, 200, {}, b"[2]", next_request=third)

    restarted = EvidenceWriter(store, evidence, writer.signer)
    resume = restarted.resume_point(snapshot_id, "logs")
    assert resume is not None
    assert (resume.sequence, resume.next_request) == (2, third)

    again = restarted.open_collection(snapshot_id, "logs")
    assert again.add_page(third, T0, 200, {}, b"[3]").sequence == 3


def test_resume_point_is_none_before_the_first_page(
    writer: EvidenceWriter, tenant_id: str
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    writer.open_collection(snapshot_id, "apps")

    assert writer.resume_point(snapshot_id, "apps") is None
    assert writer.resume_point(snapshot_id, "never-opened") is None


def test_a_lazy_handle_records_nothing_until_its_first_write(
    writer: EvidenceWriter, tenant_id: str, reader: EvidenceReader
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    before = writer.clock()  # the writer's clock steps a second per reading
    factors = writer.collection(snapshot_id, "factors:00u1")

    assert [c.name for c in reader.collections(snapshot_id)] == []
    assert writer.resume_point(snapshot_id, "factors:00u1") is None

    writer.clock()  # time passes before the first page is stored
    factors.add_page("/api/v1/users/00u1/factors", T0, 200, {}, b"[{}]")
    record = reader.collection(snapshot_id, "factors:00u1")
    assert (record.pages, record.completeness) == (1, None)
    assert record.started_at == before + timedelta(seconds=1)


def test_the_last_page_and_its_verdict_are_stored_together(
    writer: EvidenceWriter, tenant_id: str, reader: EvidenceReader
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    users = writer.collection(snapshot_id, "users")
    users.add_page("/api/v1/users", T0, 200, {}, b"[{}]", next_request="/api/v1/u?a=1")

    page, record = users.add_last_page(
        "/api/v1/u?a=1", T0, 200, rate_limit(7), b"[{},{}]", objects=3
    )

    assert (page.sequence, page.next_request) == (2, None)
    assert record == reader.collection(snapshot_id, "users")
    assert (record.completeness, record.pages, record.objects) == (
        Completeness.COMPLETE,
        2,
        3,
    )
    with pytest.raises(CollectionClosed, match="already complete"):
        users.add_last_page("/api/v1/u?a=2", T0, 200, {}, b"[]", objects=0)
    with pytest.raises(CollectionClosed, match="already complete"):
        writer.collection(snapshot_id, "users").add_page("/x", T0, 200, {}, b"[]")


def test_a_verdict_alone_records_a_lazy_collection(
    writer: EvidenceWriter, tenant_id: str, reader: EvidenceReader
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    writer.collection(snapshot_id, "logs").not_collected("okta.logs.read scope")

    record = reader.collection(snapshot_id, "logs")
    assert (record.completeness, record.missing, record.pages) == (
        Completeness.NOT_COLLECTED,
        "okta.logs.read scope",
        0,
    )


def test_a_closed_collection_takes_no_more_pages_or_verdicts(
    writer: EvidenceWriter, tenant_id: str
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    users = writer.open_collection(snapshot_id, "users")
    users.add_page("/api/v1/users", T0, 200, {}, b"[]")
    users.complete(objects=0)

    with pytest.raises(CollectionClosed, match="already complete"):
        users.add_page("/api/v1/users?after=x", T0, 200, {}, b"[]")
    with pytest.raises(CollectionClosed):
        users.fail("late error", retries=1)
    with pytest.raises(CollectionClosed):
        writer.open_collection(snapshot_id, "users")


def test_partial_and_failed_collections_keep_error_and_retries(
    writer: EvidenceWriter, tenant_id: str, reader: EvidenceReader
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    apps = writer.open_collection(snapshot_id, "apps")
    apps.add_page("/api/v1/apps", T0, 200, {}, b"[{}]")
    apps.partial("HTTP 500 E0000009 on page 2", retries=3, objects=1)
    idps = writer.open_collection(snapshot_id, "idps")
    idps.add_page("/api/v1/idps", T0, 429, rate_limit(0), b'{"errorCode":"E0000047"}')
    idps.fail("HTTP 429 E0000047 until the retry budget ran out", retries=5)

    apps_record = reader.collection(snapshot_id, "apps")
    idps_record = reader.collection(snapshot_id, "idps")
    assert apps_record.completeness is Completeness.PARTIAL
    assert (apps_record.error, apps_record.retries, apps_record.objects) == (
        "HTTP 500 E0000009 on page 2",
        3,
        1,
    )
    assert idps_record.completeness is Completeness.FAILED
    assert idps_record.retries == 5
    assert idps_record.pages == 1


def test_finalising_with_an_open_collection_is_refused(
    writer: EvidenceWriter, tenant_id: str, store: Store
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    writer.open_collection(snapshot_id, "users").complete(objects=0)
    writer.open_collection(snapshot_id, "groups")

    with pytest.raises(SnapshotNotSealable, match="still open: groups"):
        writer.finalise(snapshot_id)

    with store.session() as session:
        snapshot = session.get_one(Snapshot, snapshot_id)
        assert (snapshot.state, snapshot.root_hash) == ("capturing", None)


def test_finalising_without_an_expected_collection_is_refused(
    writer: EvidenceWriter, tenant_id: str
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    writer.open_collection(snapshot_id, "users").complete(objects=0)

    with pytest.raises(SnapshotNotSealable, match="never recorded: groups, logs"):
        writer.finalise(snapshot_id, expected=["users", "groups", "logs"])


def test_a_refusal_names_a_few_of_many_missing_collections(
    writer: EvidenceWriter, tenant_id: str
) -> None:
    # One expected collection per user of a large org: more names than a query
    # may carry as parameters (SQLite: 32,766; PostgreSQL: 65,535).
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    writer.open_collection(snapshot_id, "users").complete(objects=0)
    factors = [f"user_factors:00u{number:06d}" for number in range(70_000)]

    with pytest.raises(SnapshotNotSealable) as refused:
        writer.finalise(snapshot_id, expected=["users", *factors])

    assert refused.value.message.endswith(
        "never recorded: " + ", ".join(factors[:10]) + " and 69990 more"
    )


def test_a_finalised_snapshot_is_complete_and_closed(
    capture: Capture, writer: EvidenceWriter, store: Store
) -> None:
    with store.session() as session:
        snapshot = session.get_one(Snapshot, capture.snapshot_id)
        assert snapshot.state == "complete"
        assert snapshot.root_hash == capture.sealed.root_hash
        assert snapshot.manifest_signature == capture.sealed.signature
        assert snapshot.evidence_key_id == writer.signer.public.id

    with pytest.raises(CollectionClosed, match="is complete, not capturing"):
        writer.open_collection(capture.snapshot_id, "groups")
    with pytest.raises(CollectionClosed):
        writer.finalise(capture.snapshot_id)


def test_the_manifest_is_canonical_signed_and_lists_every_page(
    capture: Capture, evidence: EvidenceStore, writer: EvidenceWriter
) -> None:
    manifest_bytes = evidence.get(capture.sealed.root_hash)
    manifest = json.loads(manifest_bytes)

    assert canonical_json(manifest) == manifest_bytes
    assert hashlib.sha256(manifest_bytes).hexdigest() == capture.sealed.root_hash
    public = EvidencePublicKey(writer.signer.public.id, writer.signer.public.raw)
    assert public.verifies(capture.sealed.signature, manifest_bytes)
    assert manifest["snapshot"]["id"] == capture.snapshot_id
    assert manifest["snapshot"]["tenant"] == "acme"
    assert manifest["snapshot"]["org_url"] == "https://acme.okta.com"
    assert manifest["snapshot"]["options"] == {"window_days": 90, "logs": "security"}
    assert [c["name"] for c in manifest["collections"]] == [
        "logs",
        "policies:OKTA_SIGN_ON",
        "users",
        "zones",
    ]
    users = manifest["collections"][2]
    assert users["completeness"] == "complete"
    assert users["pages"][1] == {
        "sequence": 2,
        "request": "/api/v1/users?limit=2&after=00u2",
        "next": "/api/v1/users?limit=2&after=00u3",
        "time": "2026-11-30T09:00:02.123456Z",
        "status": 200,
        "rate_limit": rate_limit(598),
        "sha256": hashlib.sha256(USERS_PAGES[1][2]).hexdigest(),
        "size": len(USERS_PAGES[1][2]),
    }
    assert manifest["collections"][0]["missing"] == "okta.logs.read scope"
    assert manifest["evidence_key"]["fingerprint"] == public.fingerprint


def test_manifest_orders_collections_by_code_point_on_every_database(
    writer: EvidenceWriter, evidence: EvidenceStore, tenant_id: str
) -> None:
    # A database's own collation (en_US.UTF-8, say) would put "a_b" before
    # "aB" and "Zones" after "ab"; the manifest needs plain code-point order.
    names = ["ab", "a_b", "Zones", "a:b", "aB", "a-b", "policy_rules:x", "policyrules"]
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    for number, name in enumerate(names):
        handle = writer.collection(snapshot_id, name)
        if number % 2:
            handle.not_collected("okta.apps.read scope")
        else:
            handle.add_last_page(
                f"/api/v1/{number}", T0, 200, rate_limit(number), b"[]", objects=0
            )
    sealed = writer.finalise(snapshot_id, expected=names)

    manifest = json.loads(evidence.get(sealed.root_hash))
    assert [c["name"] for c in manifest["collections"]] == sorted(names)
    assert [len(c["pages"]) for c in manifest["collections"]] == [
        0 if names.index(name) % 2 else 1 for name in sorted(names)
    ]
    assert (sealed.collections, sealed.pages) == (8, 4)


def test_options_with_a_float_are_refused(
    writer: EvidenceWriter, tenant_id: str
) -> None:
    with pytest.raises(EvidenceError, match="floats"):
        writer.begin_snapshot(tenant_id, {"window_days": 90.5})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://acme.okta.com/api/v1/logs?limit=1000&after=1627500044869_1",
            "/api/v1/logs?limit=1000&after=1627500044869_1",
        ),
        (
            "https://acme.okta.com/api/v1/users?search=status%20eq%20%22ACTIVE%22",
            "/api/v1/users?search=status%20eq%20%22ACTIVE%22",
        ),
        ("https://acme.okta.com/api/v1/zones", "/api/v1/zones"),
        ("/api/v1/apps?limit=200", "/api/v1/apps?limit=200"),
    ],
)
def test_a_link_url_becomes_the_path_and_query_as_sent(url: str, expected: str) -> None:
    assert path_and_query(url) == expected


def test_collections_written_at_once_from_several_threads_keep_every_page(
    writer: EvidenceWriter, tenant_id: str, reader: EvidenceReader
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})
    names = [f"policy_rules:00p{number}" for number in range(4)]
    handles = [writer.open_collection(snapshot_id, name) for name in names]
    start = threading.Barrier(len(handles))

    def capture(handle: CollectionHandle) -> None:
        start.wait()
        for number in range(15):
            request = f"/api/v1/policies/{handle.name[13:]}/rules?after={number}"
            handle.add_page(request, T0, 200, {}, f"[{number}]".encode())
        handle.complete(objects=15)

    with ThreadPoolExecutor(max_workers=len(handles)) as pool:
        list(pool.map(capture, handles))

    writer.finalise(snapshot_id, expected=names)
    for name in names:
        pages = reader.pages(snapshot_id, name)
        assert [page.sequence for page in pages] == list(range(1, 16))
