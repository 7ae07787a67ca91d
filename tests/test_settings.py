from __future__ import annotations

from pathlib import Path

import pytest

from atomation.errors import SettingsError
from atomation.settings import load_settings


def test_defaults_put_sqlite_in_the_data_directory(tmp_path: Path) -> None:
    settings = load_settings()

    expected = tmp_path / "home" / ".local" / "share" / "atomation"
    assert settings.data_dir == expected
    assert expected.is_dir()
    assert expected.stat().st_mode & 0o777 == 0o700
    assert settings.sqlalchemy_url == f"sqlite:///{expected / 'atomation.db'}"


def test_environment_overrides_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "atomation.toml"
    config.write_text('public_url = "https://from-file.example"\nlog_level = "info"\n')
    monkeypatch.setenv("ATOMATION_CONFIG", str(config))
    monkeypatch.setenv("ATOMATION_PUBLIC_URL", "https://from-env.example")
    monkeypatch.setenv("ATOMATION_DATA_DIR", str(tmp_path / "d"))

    settings = load_settings()

    assert settings.public_url == "https://from-env.example"
    assert settings.log_level == "INFO"
    assert settings.data_dir == tmp_path / "d"


def test_allowed_org_urls_are_a_comma_separated_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "ATOMATION_ALLOWED_ORG_URLS", "http://127.0.0.1:9000, http://127.0.0.1:9001"
    )

    assert load_settings().allowed_org_urls == [
        "http://127.0.0.1:9000",
        "http://127.0.0.1:9001",
    ]


def test_secrets_mask_themselves_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "ATOMATION_DATABASE_URL", "postgresql://scott:hunter2-secret@127.0.0.1/db"
    )
    monkeypatch.setenv("ATOMATION_MASTER_KEY", "c2VjcmV0LW1hc3Rlci1rZXk=")

    settings = load_settings()

    assert "hunter2-secret" not in repr(settings)
    assert "c2VjcmV0LW1hc3Rlci1rZXk" not in repr(settings)
    assert settings.sqlalchemy_url.startswith("postgresql+psycopg://scott:hunter2")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url at all", "is not a database URL"),
        ("mysql://root@127.0.0.1/x", "names the database 'mysql'"),
    ],
)
def test_malformed_database_url_names_the_setting_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch, url: str, expected: str
) -> None:
    monkeypatch.setenv("ATOMATION_DATABASE_URL", url)

    with pytest.raises(SettingsError) as caught:
        load_settings()

    assert caught.value.message.startswith("ATOMATION_DATABASE_URL ")
    assert expected in caught.value.message
    assert url not in caught.value.message
    assert caught.value.hint


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")

    with pytest.raises(SettingsError, match=r"ATOMATION_DATA_DIR: .* not a directory"):
        load_settings(data_dir=not_a_dir)


def test_data_dir_under_a_file_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")

    with pytest.raises(SettingsError, match="ATOMATION_DATA_DIR"):
        load_settings(data_dir=blocker / "data")


def test_missing_config_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATOMATION_CONFIG", str(tmp_path / "nope.toml"))

    with pytest.raises(SettingsError, match=r"ATOMATION_CONFIG: .*nope\.toml"):
        load_settings()


def test_broken_config_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("this is = = not toml")
    monkeypatch.setenv("ATOMATION_CONFIG", str(config))

    with pytest.raises(SettingsError, match="ATOMATION_CONFIG: cannot read"):
        load_settings()


def test_unknown_log_level_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATOMATION_LOG_LEVEL", "chatty")

    with pytest.raises(SettingsError, match="ATOMATION_LOG_LEVEL must be one of"):
        load_settings()
