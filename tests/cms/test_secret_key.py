"""The development secret key is made per installation and never written in the repository."""

import re
import stat
from pathlib import Path

from cms.settings.secret_key import installation_secret_key

SETTINGS = Path(__file__).resolve().parents[2] / "cms" / "settings"


def test_each_installation_makes_its_own_key_once(tmp_path):
    first = installation_secret_key(tmp_path / "var" / "secret_key")
    assert len(first) >= 50
    assert installation_secret_key(tmp_path / "var" / "secret_key") == first  # read back, not made again
    assert installation_secret_key(tmp_path / "other" / "secret_key") != first
    mode = (tmp_path / "var" / "secret_key").stat().st_mode
    assert not mode & (stat.S_IRWXG | stat.S_IRWXO), "only its owner may read the key"
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]  # no draft left behind


def test_a_key_written_by_someone_else_first_wins(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("made-by-the-other-process\n")
    assert installation_secret_key(path) == "made-by-the-other-process"


def test_no_settings_module_but_the_tests_carries_a_literal_key():
    modules = [path for path in SETTINGS.glob("*.py") if path.name != "test.py"]
    assert {"base.py", "dev.py", "production.py"} <= {path.name for path in modules}
    for path in modules:
        source = path.read_text()
        assert not re.search(r"SECRET_KEY\s*=\s*[\"']", source), "%s writes a secret key in the repository" % path.name


def test_the_key_file_is_git_ignored():
    ignored = (SETTINGS.parents[1] / ".gitignore").read_text().split()
    assert "/var/" in ignored
