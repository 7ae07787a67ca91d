"""Envelope encryption and master key loading."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from atomation.errors import SettingsError
from atomation.keys.envelope import (
    EnvelopeError,
    MasterKey,
    SealedBox,
    load_master_key,
)
from atomation.settings import load_settings

AAD = b"tenant-1\x00kid-1"


def _flip(data: bytes, index: int) -> bytes:
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


@pytest.fixture
def master() -> MasterKey:
    return MasterKey(os.urandom(32))


def test_sealed_value_opens_with_the_same_key_and_context(master: MasterKey) -> None:
    sealed = master.seal(b"secret bytes", AAD)

    assert master.open(sealed, AAD) == b"secret bytes"
    assert b"secret bytes" not in sealed.ciphertext + sealed.wrapped_data_key


def test_each_seal_uses_a_fresh_data_key(master: MasterKey) -> None:
    first, second = master.seal(b"x", AAD), master.seal(b"x", AAD)

    assert first.wrapped_data_key != second.wrapped_data_key
    assert first.ciphertext != second.ciphertext


@pytest.mark.parametrize("index", [0, 5, 20, -1])
def test_tampered_ciphertext_does_not_open(master: MasterKey, index: int) -> None:
    sealed = master.seal(b"secret bytes", AAD)
    tampered = SealedBox(sealed.wrapped_data_key, _flip(sealed.ciphertext, index))

    with pytest.raises(EnvelopeError, match="does not open"):
        master.open(tampered, AAD)


@pytest.mark.parametrize("index", [0, 5, 20, -1])
def test_tampered_wrapped_key_does_not_open(master: MasterKey, index: int) -> None:
    sealed = master.seal(b"secret bytes", AAD)
    tampered = SealedBox(_flip(sealed.wrapped_data_key, index), sealed.ciphertext)

    with pytest.raises(EnvelopeError, match="does not open"):
        master.open(tampered, AAD)


def test_other_master_key_does_not_open(master: MasterKey) -> None:
    sealed = master.seal(b"secret bytes", AAD)

    with pytest.raises(EnvelopeError):
        MasterKey(os.urandom(32)).open(sealed, AAD)


def test_other_context_does_not_open(master: MasterKey) -> None:
    sealed = master.seal(b"secret bytes", AAD)

    with pytest.raises(EnvelopeError):
        master.open(sealed, b"tenant-2\x00kid-1")


def test_swapped_layers_do_not_open(master: MasterKey) -> None:
    sealed = master.seal(os.urandom(32), AAD)
    swapped = SealedBox(sealed.ciphertext, sealed.wrapped_data_key)

    with pytest.raises(EnvelopeError):
        master.open(swapped, AAD)


def test_master_key_repr_hides_the_key() -> None:
    key = os.urandom(32)

    shown = repr(MasterKey(key)) + repr(MasterKey(key).seal(b"x", AAD))

    assert key.hex() not in shown
    assert base64.b64encode(key).decode() not in shown
    assert "hidden" in shown


def test_master_key_from_the_environment_is_used(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    key = os.urandom(32)
    monkeypatch.setenv("ATOMATION_MASTER_KEY", base64.b64encode(key).decode())
    sealed = MasterKey(key).seal(b"x", AAD)

    loaded = load_master_key(load_settings(data_dir=data_dir))

    assert loaded.open(sealed, AAD) == b"x"
    assert not (data_dir / "master.key").exists()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("not base64!", "not valid base64"),
        (base64.b64encode(b"short").decode(), "decodes to 5 bytes"),
        (base64.b64encode(bytes(33)).decode(), "decodes to 33 bytes"),
        ("   ", "is empty"),
    ],
)
def test_malformed_master_key_is_a_settings_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, value: str, reason: str
) -> None:
    monkeypatch.setenv("ATOMATION_MASTER_KEY", value)

    with pytest.raises(SettingsError) as caught:
        load_master_key(load_settings(data_dir=data_dir))

    assert caught.value.message.startswith("ATOMATION_MASTER_KEY ")
    assert reason in caught.value.message
    assert "ATOMATION_MASTER_KEY" in (caught.value.hint or "")
    if value.strip():
        assert value not in caught.value.message


def test_key_file_is_created_once_with_owner_only_mode(data_dir: Path) -> None:
    settings = load_settings(data_dir=data_dir)

    first = load_master_key(settings)
    sealed = first.seal(b"x", AAD)
    second = load_master_key(settings)

    path = settings.master_key_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(base64.b64decode(path.read_text())) == 32
    assert second.open(sealed, AAD) == b"x"


def test_key_file_readable_by_others_is_refused(data_dir: Path) -> None:
    settings = load_settings(data_dir=data_dir)
    load_master_key(settings)
    settings.master_key_file.chmod(0o644)

    with pytest.raises(SettingsError, match="readable by other users") as caught:
        load_master_key(settings)

    assert caught.value.hint == f"Run: chmod 600 {settings.master_key_file}"


def test_corrupt_key_file_is_refused_naming_the_file(data_dir: Path) -> None:
    settings = load_settings(data_dir=data_dir)
    fd = os.open(settings.master_key_file, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"garbage")
    os.close(fd)

    with pytest.raises(SettingsError) as caught:
        load_master_key(settings)

    assert str(settings.master_key_file) in caught.value.message


def test_processes_starting_at_once_agree_on_one_master_key(data_dir: Path) -> None:
    settings = load_settings(data_dir=data_dir)
    script = (
        "import sys; from atomation.keys.envelope import load_master_key; "
        "from atomation.settings import load_settings; "
        "key = load_master_key(load_settings(data_dir=sys.argv[1])); "
        "box = key.seal(b'from ' + sys.argv[2].encode(), b'ctx'); "
        "print(box.wrapped_data_key.hex(), box.ciphertext.hex())"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(data_dir), str(number)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for number in range(4)
    ]
    outputs = [process.communicate(timeout=60)[0].split() for process in processes]

    master = load_master_key(settings)
    opened = [
        master.open(SealedBox(bytes.fromhex(wrapped), bytes.fromhex(data)), b"ctx")
        for wrapped, data in outputs
    ]
    assert opened == [b"from 0", b"from 1", b"from 2", b"from 3"]
    assert [path.name for path in data_dir.iterdir()] == ["master.key"]
