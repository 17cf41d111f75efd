"""Settings are read from the files on every call: an administrator's change counts at once, even when
the files are parsed only when their text changes (dashboard.config.load_settings)."""

from __future__ import annotations

from dashboard import config


def test_a_change_to_the_settings_file_counts_at_once(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(path))
    default = config.load_settings().rule("expiry_warning_days")
    path.write_text("[rules]\nexpiry_warning_days = 45\n", encoding="utf-8")
    assert config.load_settings().rule("expiry_warning_days") == 45
    path.write_text("[rules]\nexpiry_warning_days = 46\n", encoding="utf-8")  # same size, same instant
    assert config.load_settings().rule("expiry_warning_days") == 46
    path.unlink()
    assert config.load_settings().rule("expiry_warning_days") == default


def test_each_caller_gets_its_own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("UNION_DASHBOARD_SETTINGS", str(tmp_path / "none.toml"))
    first = config.load_settings()
    first.raw["rules"]["expiry_warning_days"] = -1
    assert config.load_settings().rule("expiry_warning_days") != -1
