"""Settings: declared once, parsed strictly, documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from forum_server.settings import SETTINGS, SettingsError, load_settings, settings_table_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_configuration_table_matches_the_declaration():
    assert settings_table_markdown() in README.read_text()


def test_every_setting_is_documented_in_api_names():
    names = {setting.env for setting in SETTINGS}
    for required in (
        "FORUM_DATA_DIR",
        "FORUM_DATABASE_URL",
        "FORUM_BROKER_URL",
        "FORUM_SECRET_KEY",
        "FORUM_BASE_URL",
        "FORUM_REGISTRATION",
    ):
        assert required in names


def test_defaults_give_an_embedded_setup(tmp_path: Path):
    settings = load_settings(environ={"FORUM_DATA_DIR": str(tmp_path / "d")})
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'd' / 'forum.db'}"
    assert settings.broker_url == "memory://"
    assert settings.registration == "closed"


def test_secret_key_is_generated_once_and_kept(tmp_path: Path):
    first = load_settings(environ={"FORUM_DATA_DIR": str(tmp_path)}).secret_key
    second = load_settings(environ={"FORUM_DATA_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_short_or_empty_secret_key_is_refused(tmp_path: Path):
    with pytest.raises(SettingsError, match="at least 32 characters"):
        load_settings(environ={"FORUM_DATA_DIR": str(tmp_path), "FORUM_SECRET_KEY": "short"})
    (tmp_path / "secret_key").write_text("")  # e.g. left by a crash mid-write
    with pytest.raises(SettingsError, match="secret_key file"):
        load_settings(environ={"FORUM_DATA_DIR": str(tmp_path)})


def test_processes_starting_together_agree_on_one_key(tmp_path: Path):
    from concurrent.futures import ThreadPoolExecutor

    environ = {"FORUM_DATA_DIR": str(tmp_path)}
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: load_settings(environ=environ).secret_key, range(32)))
    assert len(keys) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no drafts left


@pytest.mark.parametrize(
    ("name", "value"),
    [("FORUM_REGISTRATION", "maybe"), ("FORUM_SESSION_DAYS", "-3"), ("FORUM_MAX_BODY_BYTES", "x")],
)
def test_bad_values_are_refused_with_the_variable_named(tmp_path: Path, name: str, value: str):
    with pytest.raises(SettingsError, match=name):
        load_settings(environ={"FORUM_DATA_DIR": str(tmp_path), name: value})


def test_an_unset_base_url_is_the_address_served_under_any_loopback_name(tmp_path: Path):
    from forum_server.web.server import serving_at

    settings = load_settings(environ={"FORUM_DATA_DIR": str(tmp_path)})
    assert settings.base_url_given is False
    served, warning = serving_at(settings, "127.0.0.1", 8201)
    assert warning is None
    assert served.base_url == "http://127.0.0.1:8201"
    assert served.origins == {
        "http://127.0.0.1:8201",
        "http://localhost:8201",
        "http://[::1]:8201",
    }
    everywhere, _ = serving_at(settings, "0.0.0.0", 8000)
    assert everywhere.base_url == "http://127.0.0.1:8000"
    assert "http://localhost:8000" in everywhere.origins
    # A machine's own network address is no loopback: only that address is trusted.
    lan, _ = serving_at(settings, "192.0.2.10", 8000)
    assert lan.origins == {"http://192.0.2.10:8000"}


def test_a_base_url_that_differs_from_the_address_served_is_reported(tmp_path: Path):
    from forum_server.web.server import serving_at

    environ = {"FORUM_DATA_DIR": str(tmp_path), "FORUM_BASE_URL": "http://127.0.0.1:8000/"}
    settings = load_settings(environ=environ)
    assert settings.base_url_given is True
    same, warning = serving_at(settings, "127.0.0.1", 8000)
    assert same == settings and warning is None
    kept, warning = serving_at(settings, "127.0.0.1", 8201)
    assert kept.base_url == "http://127.0.0.1:8000" and kept.origins == {"http://127.0.0.1:8000"}
    assert warning is not None
    assert "FORUM_BASE_URL is http://127.0.0.1:8000" in warning
    assert "http://127.0.0.1:8201" in warning


def test_commands_on_an_existing_database_create_nothing(tmp_path: Path):
    from forum_server.data_folder import NoDatabase

    data_dir = tmp_path / "elsewhere" / "forum-data"
    with pytest.raises(NoDatabase, match=f"no database in {data_dir}"):
        load_settings(environ={"FORUM_DATA_DIR": str(data_dir)}, existing=True)
    missing = tmp_path / "missing.db"
    with pytest.raises(NoDatabase, match=f"no database at {missing}"):
        load_settings(
            environ={
                "FORUM_DATA_DIR": str(data_dir),
                "FORUM_DATABASE_URL": f"sqlite+aiosqlite:///{missing}",
            },
            existing=True,
        )
    assert not (tmp_path / "elsewhere").exists() and not missing.exists()
    # A server's database is there or not: asked of the server, not of the file system.
    settings = load_settings(
        environ={
            "FORUM_DATA_DIR": str(data_dir),
            "FORUM_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1/forum",
        },
        existing=True,
    )
    assert len(settings.secret_key) >= 32
    assert not (tmp_path / "elsewhere").exists()
