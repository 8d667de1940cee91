"""The UI language of the command line (--ui-lang, LNM_UI_LANG, ui-language, the locale), the help
of every command and option through the catalogue, and click's own words routed to it."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import click
import pytest
from babel.messages.pofile import read_po

from toolkit import i18n
from toolkit.cli import cli
from toolkit.cli._click_words import CLICK_MODULES, WORDS, _click_gettext, _click_ngettext, install
from toolkit.cli._language import scan_argv

from .conftest import EXAMPLES, ROOT, run_lnm

LOCALE = ROOT / "toolkit" / "locale"
#: No locale variable and no LNM_UI_LANG: each test sets what it means.
BARE = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "LNM_UI_LANG": ""}
#: `lnm doctor` with a browser that is not there: quick, and its JSON names the UI language chosen.
DOCTOR = ("--browser", "/nonexistent/chromium", "--format", "json")
CLEAN = EXAMPLES / "JP" / "shipment_completed_ja.json"


def _chosen(folder: Path, *before: str, after: tuple[str, ...] = (), **env: str) -> dict[str, str]:
    result = run_lnm(*before, "doctor", *DOCTOR, *after, cwd=folder, env={**BARE, **env})
    assert result.code == 1, result.err  # no browser: previews cannot run
    chosen: dict[str, str] = result.json()["ui_language"]
    return chosen


def _config(folder: Path, value: str, name: str = "lnm.toml") -> Path:
    path = folder / name
    table = "[tool.lnm]\n" if name == "pyproject.toml" else ""
    path.write_text(f'{table}select = ["all"]\nui-language = "{value}"\n', encoding="utf-8")
    return path


def test_scan_reads_both_spellings_and_the_last_one_wins() -> None:
    assert scan_argv(["--ui-lang", "ja", "lint", "x"]) == "ja"
    assert scan_argv(["lint", "--ui-lang=th", "x"]) == "th"
    assert scan_argv(["--ui-lang", "ja", "lint", "--ui-lang=zh-Hant"]) == "zh-Hant"
    assert scan_argv(["lint", "--", "--ui-lang", "ja"]) is None
    assert scan_argv(["lint", "--ui-lang"]) is None  # click says the value is missing


def test_flag_wins_over_environment_configuration_and_locale(tmp_path: Path) -> None:
    _config(tmp_path, "th")
    env = {"LNM_UI_LANG": "zh-Hant", "LANG": "ja_JP.UTF-8"}
    assert _chosen(tmp_path, after=("--ui-lang", "en"), **env) == {"language": "en", "source": "--ui-lang"}
    assert _chosen(tmp_path, "--ui-lang=ja", **env) == {"language": "ja", "source": "--ui-lang"}
    # the subcommand's value wins over the group's
    assert _chosen(tmp_path, "--ui-lang", "th", after=("--ui-lang", "ja"), **env)["language"] == "ja"


def test_environment_then_configuration_then_locale(tmp_path: Path) -> None:
    _config(tmp_path, "zh-Hant")
    assert _chosen(tmp_path, LNM_UI_LANG="th", LANG="ja_JP.UTF-8") == {"language": "th", "source": "LNM_UI_LANG"}
    assert _chosen(tmp_path, LANG="ja_JP.UTF-8") == {
        "language": "zh-Hant", "source": f"{tmp_path / 'lnm.toml'}: ui-language"}
    below = tmp_path / "messages"
    below.mkdir()
    assert _chosen(below)["language"] == "zh-Hant"  # found upwards, as lnm lint finds it


def test_pyproject_table(tmp_path: Path) -> None:
    _config(tmp_path, "ja", "pyproject.toml")
    assert _chosen(tmp_path) == {"language": "ja", "source": f"{tmp_path / 'pyproject.toml'}: tool.lnm.ui-language"}


def test_locale_variables_empty_counts_as_unset(tmp_path: Path) -> None:
    assert _chosen(tmp_path, LANG="ja_JP.UTF-8") == {"language": "ja", "source": "LANG"}
    assert _chosen(tmp_path, LC_ALL="", LC_MESSAGES="th_TH.UTF-8", LANG="ja_JP.UTF-8") == {
        "language": "th", "source": "LC_MESSAGES"}
    assert _chosen(tmp_path, LC_ALL="zh_TW.UTF-8", LANG="ja_JP.UTF-8")["language"] == "zh-Hant"
    assert _chosen(tmp_path, LANG="fr_FR.UTF-8")["language"] == "en"
    assert _chosen(tmp_path) == {"language": "en", "source": "default"}


@pytest.mark.parametrize(("args", "env", "line"), [
    (("--ui-lang", "fr"), {}, "lnm: --ui-lang: unknown UI language 'fr'; use en, ja, th, zh-Hant"),
    (("--ui-lang=",), {}, "lnm: --ui-lang: unknown UI language ''; use en, ja, th, zh-Hant"),
    ((), {"LNM_UI_LANG": "klingon"}, "lnm: LNM_UI_LANG: unknown UI language 'klingon'; use en, ja, th, zh-Hant"),
])
def test_unknown_language_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...], env: dict[str, str],
                                                  line: str) -> None:
    for command in (["rules", *args], [*args, "lint", str(CLEAN)], ["lint", "--help", *args]):
        result = run_lnm(*command, cwd=tmp_path, env={**BARE, **env})
        assert (result.code, result.out, result.err) == (2, "", line + "\n"), command


def test_bad_configuration_value_names_file_and_line(tmp_path: Path) -> None:
    config = _config(tmp_path, "fr")
    result = run_lnm("rules", cwd=tmp_path, env=BARE)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"lnm: {config}:2: ui-language: unknown UI language 'fr'; use en, ja, th, zh-Hant\n"
    # a flag or LNM_UI_LANG decides without reading it
    assert run_lnm("rules", "--ui-lang", "en", cwd=tmp_path, env=BARE).code == 0


def test_unreadable_configuration_is_left_to_the_commands_that_read_it(tmp_path: Path) -> None:
    (tmp_path / "lnm.toml").write_text("select = [\n", encoding="utf-8")
    assert run_lnm("lint", "--no-config", str(CLEAN), cwd=tmp_path, env=BARE).code == 0
    result = run_lnm("lint", str(tmp_path), cwd=tmp_path, env=BARE)
    assert result.code == 2 and "invalid TOML" in result.err and len(result.err.splitlines()) == 1


def _help_texts(command: click.Command, path: str = "lnm") -> list[tuple[str, str]]:
    found = [(path, command.help or "")] if command.help else []
    found += [(f"{path} {'/'.join(getattr(p, 'opts', [p.name]))}", p.help) for p in command.params
              if getattr(p, "help", None)]
    for name, sub in getattr(command, "commands", {}).items():
        found += _help_texts(sub, f"{path} {name}")
    return found


def test_every_help_text_is_in_the_catalogue() -> None:
    """Every command's and option's help is a msgid of lnm.pot, so it is shown translated."""
    with open(LOCALE / "lnm.pot", "rb") as handle:
        msgids = {m.id for m in read_po(handle) if m.id}
    texts = _help_texts(cli)
    assert len(texts) > 80
    missing = [(where, text) for where, text in texts if text not in msgids]
    assert not missing, "help outside the catalogue (mark it help=N_(...) and run make messages):\n" + "\n".join(
        f"{where}: {text!r}" for where, text in missing)


def _ja(msgid: str) -> str:
    with open(LOCALE / "ja" / "LC_MESSAGES" / "lnm.po", "rb") as handle:
        found = read_po(handle).get(msgid)
    return str(found.string) if found is not None and found.string else ""


def test_help_in_japanese() -> None:
    """Skipped only while the ja catalogue has no translation of lnm's own help text (translators
    land it); then `lnm --help --ui-lang ja` must show it, and click's headings in Japanese."""
    group_help = str(cli.__dict__.get("_lnm_help", cli.help))
    translated = _ja(group_help)
    if not translated:
        pytest.skip("the ja catalogue does not translate lnm's help yet")
    english = run_lnm("--help", env=BARE)
    for args, env in ((("--help", "--ui-lang", "ja"), BARE), (("--help",), {**BARE, "LANG": "ja_JP.UTF-8"})):
        japanese = run_lnm(*args, env=env)
        assert japanese.code == english.code == 0
        assert japanese.out != english.out
        assert translated.split("\n")[0].split()[0] in japanese.out
        for word in ("Usage:", "Show this message and exit."):
            if _ja(word):
                assert _ja(word) in japanese.out and word not in japanese.out


def test_exit_codes_do_not_depend_on_the_language(tmp_path: Path) -> None:
    broken = tmp_path / "bad.json"
    broken.write_text(json.dumps({"to": "x", "templateKey": "shipment_completed_ja", "body": {"items": []}}),
                      encoding="utf-8")
    runs = {"clean": ("lint", str(CLEAN)), "findings": ("lint", str(broken)),
            "usage": ("lint", "--nope", str(CLEAN)), "unknown rule": ("rules", "X999"),
            "missing": ("lint", str(tmp_path / "nowhere.json")), "help": ("build", "--help")}
    expected = {"clean": 0, "findings": 1, "usage": 2, "unknown rule": 2, "missing": 2, "help": 0}
    for language in i18n.LANGUAGES:
        codes = {name: run_lnm(*args, "--ui-lang", language, cwd=tmp_path, env=BARE).code
                 for name, args in runs.items()}
        assert codes == expected, language


def test_click_still_translates_through_the_names_we_replace() -> None:
    """Fails loudly when a click upgrade moves its gettext calls or rewords the texts we translate."""
    sources = ""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        source = inspect.getsource(module)
        assert "from gettext import gettext as _" in source, name
        sources += source
    missing = [str(word) for word in WORDS if str(word) not in sources]
    assert not missing, f"click no longer says: {missing}"
    install()
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        assert module._ is _click_gettext, name
        if "from gettext import ngettext" in inspect.getsource(module):
            assert module.ngettext is _click_ngettext, name
    with i18n.using("ja"):
        assert click.formatting._("Usage:") == i18n._("Usage:")
        assert click.exceptions.ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)",
                                         2) == i18n._("(Did you mean one of: {possibilities}?)")
    # a usage error is worded by click in the UI language: through our catalogue, placeholders intact
    result = run_lnm("lint", "--nope", "--ui-lang", "ja", env=BARE)
    assert result.code == 2 and "'--nope'" in result.err
