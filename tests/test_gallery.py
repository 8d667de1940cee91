"""The committed previews gallery: current with its inputs, browsable offline. No browser needed."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from .conftest import EXAMPLES, ROOT, run_lnm

GALLERY = ROOT / "previews"
REFRESH = "run `make previews` (lnm gallery) and commit previews/"


def test_gallery_is_current() -> None:
    """Every example spec, its current hash, the current HTML of each language, every PNG as recorded."""
    from toolkit.render.gallery import check_gallery

    problems = check_gallery(GALLERY)
    assert not problems, f"the previews gallery is stale; {REFRESH}:\n" + "\n".join(problems[:20])


def test_gallery_covers_every_example_in_the_default_languages() -> None:
    manifest = json.loads((GALLERY / "manifest.json").read_text(encoding="utf-8"))
    assert "generated" in manifest["generatedBy"] and "make previews" in manifest["generatedBy"]
    assert manifest["languages"] == ["ja", "th", "zh-Hant", "en"]
    specs = sorted(p.relative_to(ROOT).as_posix() for p in EXAMPLES.rglob("*.json"))
    assert sorted(e["spec"] for e in manifest["entries"]) == specs
    assert {e["country"] for e in manifest["entries"]} == {"JP", "TH", "TW"}
    for entry in manifest["entries"]:
        assert entry["browserVersion"] and entry["contactSheet"]["png"].endswith(".sheet.png")


def test_a_carousel_shows_in_the_chat_and_as_its_whole_row() -> None:
    """The carousel example has two images per language: the chat screen and the whole row."""
    manifest = json.loads((GALLERY / "manifest.json").read_text(encoding="utf-8"))
    index = (GALLERY / "index.html").read_text(encoding="utf-8")
    with_rows = {e["spec"]: e for e in manifest["entries"] if any("row" in i for i in e["images"].values())}
    assert list(with_rows) == ["template_library/examples/TW/flex_train_tickets_carousel_tw.json"]
    for lang, image in next(iter(with_rows.values()))["images"].items():
        row = image["row"]
        assert row["png"] == image["png"].replace(".png", ".row.png") and (GALLERY / row["png"]).is_file()
        assert row["size"][0] > image["size"][0], "the whole row is wider than the phone"
        sidecar = json.loads((GALLERY / image["sidecar"]).read_text(encoding="utf-8"))
        assert sidecar["carousel"]["row"] == Path(row["png"]).name and sidecar["carousel"]["rowImage"]["sha256"] == row["sha256"]
        assert f'src="{row["png"]}"' in index, lang


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: set[str] = set()
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if tag == "html" and name == "lang":
                self.lang = value
            if name in ("src", "href") and value:
                self.urls.append(value)
            assert not name.startswith("on"), f"event handler attribute {name} on <{tag}>"


def test_index_is_static_and_every_link_resolves() -> None:
    text = (GALLERY / "index.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(text)
    assert "script" not in parser.tags and "link" not in parser.tags and parser.lang == "en"
    assert "do not edit" in text and "make previews" in text
    files = [u for u in parser.urls if not u.startswith("#")]
    for url in files:
        assert "://" not in url and not url.startswith("//"), f"external reference {url}"
        assert (GALLERY / url).is_file(), f"index.html links to missing {url}"
    manifest = json.loads((GALLERY / "manifest.json").read_text(encoding="utf-8"))
    listed = {r["png"] for e in manifest["entries"] for r in e["images"].values()}
    assert listed <= set(files), "an image of the manifest is not on the index page"
    anchors = {u[1:] for u in parser.urls if u.startswith("#")}
    assert anchors == {"JP", "TH", "TW"}


def test_gallery_check_command_agrees() -> None:
    result = run_lnm("gallery", "--check", "--out", str(GALLERY))
    assert result.code == 0, result.err
    assert "matches its inputs" in result.out


def test_gallery_check_reports_a_stale_copy(tmp_path: Path) -> None:
    """A copy of the manifest with one tampered hash, one missing image and one dropped entry."""
    manifest = json.loads((GALLERY / "manifest.json").read_text(encoding="utf-8"))
    first, second = manifest["entries"][0], manifest["entries"][1]
    first["specHash"] = "0" * 64
    manifest["entries"].remove(manifest["entries"][2])
    copy = tmp_path / "previews"
    copy.mkdir()
    for entry in manifest["entries"][:2]:
        for record in [*entry["images"].values(), entry["contactSheet"]]:
            for key in ("png", "sidecar"):
                if key in record:
                    target = copy / record[key]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes((GALLERY / record[key]).read_bytes())
    (copy / second["images"]["th"]["png"]).unlink()
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = run_lnm("gallery", "--check", "--out", str(copy))
    assert result.code == 1
    assert f"{first['spec']}: spec changed since the gallery was generated" in result.err
    assert f"{second['spec']}: th: missing image" in result.err
    assert "example spec is not in the gallery" in result.err
    assert f"run `lnm gallery --out {copy}`" in result.err  # a copy outside lnm's repository: no `make`
