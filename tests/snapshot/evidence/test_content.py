from __future__ import annotations

import gzip
import hashlib
import os
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from atomation.snapshot.evidence import (
    EvidenceCorrupted,
    EvidenceNotFound,
    EvidenceStore,
    LocalBackend,
)


@pytest.fixture
def objects(tmp_path: Path) -> EvidenceStore:
    return EvidenceStore(LocalBackend(tmp_path / "evidence"))


def _files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    "content",
    [b"", b'{"id":"00u1"}\n', bytes(range(256)) * 40, "r\u00e9mi".encode("latin-1")],
)
def test_content_round_trips_byte_exact(objects: EvidenceStore, content: bytes) -> None:
    stored = objects.put(content)

    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content)
    assert objects.get(stored.sha256) == content


def test_objects_are_gzip_files_fanned_out_by_hash(
    objects: EvidenceStore, tmp_path: Path
) -> None:
    content = b'[{"id":"00g1","type":"OKTA_GROUP"}]' * 100

    sha256 = objects.put(content).sha256

    path = tmp_path / "evidence" / sha256[:2] / sha256[2:4] / f"{sha256}.gz"
    assert _files(tmp_path / "evidence") == [path]
    assert gzip.decompress(path.read_bytes()) == content
    assert path.stat().st_size < len(content)


def test_identical_content_is_stored_once(
    objects: EvidenceStore, tmp_path: Path
) -> None:
    first = objects.put(b"[]")
    again = objects.put(b"[]")

    assert first.written is True
    assert again.written is False
    assert again.sha256 == first.sha256
    assert len(_files(tmp_path / "evidence")) == 1


def test_a_stored_object_is_never_overwritten(
    objects: EvidenceStore, tmp_path: Path
) -> None:
    sha256 = objects.put(b"original").sha256
    path = objects.backend.location(sha256)
    os.chmod(path, 0o600)
    Path(path).write_bytes(b"damaged")

    assert objects.put(b"original").written is False
    assert Path(path).read_bytes() == b"damaged"


def test_no_temporary_file_is_left_behind(
    objects: EvidenceStore, tmp_path: Path
) -> None:
    for number in range(20):
        objects.put(f"page {number}".encode())

    names = [path.name for path in _files(tmp_path / "evidence")]
    assert len(names) == 20
    assert all(name.endswith(".gz") and not name.startswith(".") for name in names)


def test_a_changed_byte_on_disk_fails_the_read(objects: EvidenceStore) -> None:
    sha256 = objects.put(b'{"status":"ACTIVE"}' * 50).sha256
    path = Path(objects.backend.location(sha256))
    os.chmod(path, 0o600)
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0x01
    path.write_bytes(bytes(blob))

    with pytest.raises(EvidenceCorrupted) as caught:
        objects.get(sha256)

    assert sha256 in caught.value.message


def test_content_swapped_on_disk_fails_the_read(objects: EvidenceStore) -> None:
    sha256 = objects.put(b'{"status":"ACTIVE"}').sha256
    path = Path(objects.backend.location(sha256))
    os.chmod(path, 0o600)
    path.write_bytes(gzip.compress(b'{"status":"DEPROVISIONED"}'))

    with pytest.raises(EvidenceCorrupted, match="altered"):
        objects.get(sha256)


def test_missing_object_is_not_found(objects: EvidenceStore) -> None:
    with pytest.raises(EvidenceNotFound):
        objects.get(hashlib.sha256(b"never stored").hexdigest())


@pytest.mark.parametrize("address", ["../../etc/passwd", "AB" * 32, "ab" * 31, ""])
def test_an_address_that_is_not_a_sha256_is_refused(
    objects: EvidenceStore, address: str
) -> None:
    with pytest.raises(EvidenceNotFound, match="not a SHA-256"):
        objects.get(address)


def test_writers_racing_on_one_content_store_it_once(
    objects: EvidenceStore, tmp_path: Path
) -> None:
    content = b'[{"id":"00p1","type":"ACCESS_POLICY"}]' * 1000
    start = threading.Barrier(8)

    def put() -> bool:
        start.wait()
        return objects.put(content).written

    with ThreadPoolExecutor(max_workers=8) as pool:
        written = list(pool.map(lambda _: put(), range(8)))

    assert written.count(True) == 1
    assert len(_files(tmp_path / "evidence")) == 1
    assert objects.get(hashlib.sha256(content).hexdigest()) == content


def test_objects_are_read_only_and_directories_private(
    objects: EvidenceStore, tmp_path: Path
) -> None:
    sha256 = objects.put(b'{"id":"0oa1"}').sha256

    path = Path(objects.location(sha256))
    assert stat.S_IMODE(path.stat().st_mode) == 0o400
    for directory in (path.parent, path.parent.parent, tmp_path / "evidence"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
