"""Accounts: ``atomation user create``, password rules and Argon2 hashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from atomation.accounts.errors import AccountExists, InvalidAccountField
from atomation.accounts.models import User
from atomation.accounts.passwords import verify_password
from atomation.accounts.service import create_user
from atomation.cli import run
from atomation.settings import load_settings
from atomation.store import Store, open_store
from atomation.store.types import utcnow

PASSWORD = "a long enough passphrase"
TENANT = [
    "tenant", "create", "--subdomain", "acme", "--client", "Acme",
    "--environment", "Prod", "--okta-org", "https://acme.okta.com",
]  # fmt: skip


def _users(data_dir: Path) -> list[User]:
    store = open_store(load_settings(data_dir=data_dir))
    try:
        with store.session() as session:
            return list(session.scalars(select(User).order_by(User.email)).all())
    finally:
        store.close()


def test_user_create_makes_an_operator_from_the_environment_password(
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ATOMATION_USER_PASSWORD", PASSWORD)
    args = ["--data-dir", str(data_dir), "user", "create"]

    code = run([*args, "--email", "Ops@Example.com", "--role", "operator"])

    assert code == 0
    assert capsys.readouterr().out == "Created operator ops@example.com.\n"
    (user,) = _users(data_dir)
    assert user.email == "ops@example.com"
    assert user.tenant_id is None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert verify_password(user.password_hash, PASSWORD)


# The prompt reads a pipe, not a terminal, and says so; that is this test's point.
@pytest.mark.filterwarnings("ignore::getpass.GetPassWarning")
def test_user_create_asks_twice_for_the_password(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--data-dir", str(data_dir), *TENANT]) == 0
    monkeypatch.setattr("sys.stdin", _Lines(PASSWORD, PASSWORD))
    args = ["--data-dir", str(data_dir), "user", "create", "--email", "m@acme.com"]

    code = run([*args, "--role", "member", "--tenant", "acme"])

    assert code == 0
    assert "Created member m@acme.com of tenant acme." in capsys.readouterr().out
    (user,) = _users(data_dir)
    assert user.tenant_id is not None


class _Lines:
    """Standard input holding the given lines (the prompt reads it)."""

    def __init__(self, *lines: str) -> None:
        self._lines = [line + "\n" for line in lines]

    def readline(self) -> str:
        return self._lines.pop(0) if self._lines else ""

    def isatty(self) -> bool:
        return False


def test_password_is_never_an_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["user", "create", "--help"]) == 0

    assert "--password" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("role", "tenant", "password", "message"),
    [
        ("member", None, PASSWORD, "a member needs a tenant"),
        ("operator", "acme", PASSWORD, "takes no --tenant"),
        ("admin", None, PASSWORD, "'admin' is not a role"),
        ("operator", None, "short", "the password has 5 characters"),
    ],
)
def test_bad_input_is_one_error_and_nothing_is_stored(
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    role: str,
    tenant: str | None,
    password: str,
    message: str,
) -> None:
    assert run(["--data-dir", str(data_dir), *TENANT]) == 0
    capsys.readouterr()
    monkeypatch.setenv("ATOMATION_USER_PASSWORD", password)
    args = ["--data-dir", str(data_dir), "user", "create", "--email", "x@y.com"]
    args += ["--role", role] + (["--tenant", tenant] if tenant else [])

    assert run(args) == 1

    err = capsys.readouterr().err
    assert err.startswith("Error: ")
    assert message in err
    assert "Hint: " in err
    assert password not in err
    assert _users(data_dir) == []


def test_unknown_tenant_and_taken_address_are_refused(store: Store) -> None:
    with store.session() as session:
        create_user(
            session,
            email="a@b.com",
            role="operator",
            password=PASSWORD,
            tenant=None,
            now=utcnow(),
        )
    with pytest.raises(AccountExists), store.session() as session:
        create_user(
            session,
            email="A@B.com",
            role="operator",
            password=PASSWORD,
            tenant=None,
            now=utcnow(),
        )
    with pytest.raises(InvalidAccountField), store.session() as session:
        create_user(
            session,
            email="not an address",
            role="operator",
            password=PASSWORD,
            tenant=None,
            now=utcnow(),
        )
