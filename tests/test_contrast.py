"""The contrast rules (G080-G084) against WCAG arithmetic and the 70 real-world Flex samples.

The samples test recomputes, independently and simply (a recursive walk with LINE's defaults taken
from shared/spec/flex-rendering.md, not from the renderer's table), every text's colour and
background, and checks that G080 warns on exactly the failing pairs an author chose.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from toolkit.lint.engine import LintSettings, lint_paths
from toolkit.rules import default_table
from toolkit.rules._contrast import contrast, flex_table, nearest_passing, parse_colour
from toolkit.spec.catalogue import load_catalogue

from .flex_samples import SAMPLES, flex_document, load_samples

ROOT = Path(__file__).resolve().parent.parent

# --- an independent calculation -------------------------------------------------------------------------

#: LINE's defaults as shared/spec/flex-rendering.md section 1 gives them.
TEXT, BUBBLE = "#444444", "#ffffff"
BUTTONS = {"primary": ("#17c950", "#ffffff"), "secondary": ("#dcdfe5", "#111111"), "link": (None, "#42659a")}
SIZES = {"xxs": 11, "xs": 13, "sm": 14, "md": 16, "lg": 19, "xl": 22, "xxl": 29, "3xl": 35, "4xl": 48, "5xl": 74}


def rgba(value: Any) -> tuple[list[float], float] | None:
    if not isinstance(value, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?", value):
        return None
    channels = [int(value[i:i + 2], 16) for i in range(1, len(value), 2)]
    return [float(c) for c in channels[:3]], (channels[3] / 255 if len(channels) == 4 else 1.0)


def mix(top: tuple[list[float], float], below: list[float]) -> list[float]:
    colour, alpha = top
    return [c * alpha + b * (1 - alpha) for c, b in zip(colour, below, strict=True)]


def lum(rgb: list[float]) -> float:
    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2])


def ratio(a: list[float], b: list[float]) -> float:
    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def hexed(rgb: list[float]) -> str:
    return "#" + "".join(f"{round(c):02X}" for c in rgb)


def media(node: Any) -> bool:
    return isinstance(node, dict) and (node.get("type") in ("image", "video") or any(
        media(c) for c in node.get("contents", []) if node.get("type") == "box" and isinstance(node.get("contents"), list)))


def walk(node: Any, bg: list[float] | None, chosen: bool, out: list[tuple[str, str, bool]]) -> None:
    """Append (text colour, background, fails AA) for every text an author chose a colour of."""
    if not isinstance(node, dict):
        return
    if node.get("type") == "box":
        own = rgba(node.get("backgroundColor"))
        if own and bg is not None:
            bg, chosen = mix(own, bg), True
        elif own and own[1] == 1:
            bg, chosen = own[0], True
        if isinstance(node.get("background"), dict) and node["background"].get("type") == "linearGradient":
            bg = None
        kids = node.get("contents") if isinstance(node.get("contents"), list) else []
        for i, kid in enumerate(kids):
            covered = any(media(k) and (kid.get("position") == "absolute" or k.get("position") == "absolute")
                          for k in kids[:i] if isinstance(k, dict) and isinstance(kid, dict))
            walk(kid, None if covered else bg, chosen, out)
    elif node.get("type") == "text":
        size = SIZES.get(node.get("size", "md"), 16)
        spans = [s for s in node.get("contents", []) if isinstance(s, dict) and s.get("type") == "span"] \
            if isinstance(node.get("contents"), list) and node["contents"] else None
        for span in spans if spans is not None else [node]:
            words = span.get("text")
            if not isinstance(words, str) or not words.strip() or bg is None:
                continue
            colour = rgba(span.get("color")) or rgba(node.get("color"))
            bold = span.get("weight", node.get("weight")) == "bold"
            px = SIZES.get(span.get("size"), size) if span is not node else size
            seen = mix(colour or rgba(TEXT), bg)  # type: ignore[arg-type]
            large = px >= 24 or (bold and px >= 56 / 3)
            out.append((hexed(seen), hexed(bg), chosen or colour is not None, ratio(seen, bg) < (3 if large else 4.5)))
    elif node.get("type") == "button":
        action = node.get("action") if isinstance(node.get("action"), dict) else {}
        if not isinstance(action.get("label"), str) or not action["label"].strip() or (bg is None and node.get("style") not in ("primary", "secondary")):
            return
        fill, text = BUTTONS.get(node.get("style"), BUTTONS["link"])
        own = rgba(node.get("color"))
        if fill is None:
            seen, behind, mine = mix(own or rgba(text), bg), bg, own is not None or chosen  # type: ignore[arg-type]
        else:
            if own and own[1] < 1 and bg is None:
                return
            behind = mix(own, bg) if own and own[1] < 1 else (own or rgba(fill))[0]  # type: ignore[arg-type,index]
            seen, mine = rgba(text)[0], own is not None  # type: ignore[index]
        out.append((hexed(seen), hexed(behind), mine, ratio(seen, behind) < 4.5))


def expected_pairs(contents: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    """(bubble pointer, text colour, background) -> texts, for author-chosen pairs failing WCAG AA."""
    bubbles = [("/messages/0/contents", contents)] if contents.get("type") == "bubble" else [
        (f"/messages/0/contents/contents/{i}", b) for i, b in enumerate(contents.get("contents", []))
        if isinstance(b, dict) and b.get("type") == "bubble"]
    found: Counter[tuple[str, str, str]] = Counter()
    for pointer, bubble in bubbles:
        for block in ("header", "hero", "body", "footer"):
            style = (bubble.get("styles") or {}).get(block) or {}
            own = rgba(style.get("backgroundColor"))
            base = rgba(BUBBLE)[0]  # type: ignore[index]
            out: list[tuple[str, str, bool]] = []
            walk(bubble.get(block), mix(own, base) if own else base, own is not None, out)
            for fg, bg, chosen, fails in out:  # type: ignore[misc]
                if chosen and fails:
                    found[(pointer, fg, bg)] += 1
    return dict(found)


_PAIR = re.compile(r"colour (#[0-9A-F]{6})(?: \([^)]*\))? on (#[0-9A-F]{6}).*\((?:the only one|(\d+) texts)")


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"no Flex samples at {SAMPLES}")
def test_g070_warns_on_exactly_the_failing_author_pairs_of_the_real_world_samples(tmp_path: Path) -> None:
    samples = load_samples()
    assert len(samples) == 70
    files = []
    for i, sample in enumerate(samples):
        path = tmp_path / f"{i:02d}.json"
        path.write_text(json.dumps(flex_document(sample.contents)), encoding="utf-8")
        files.append((path, sample))
    report = lint_paths([str(p) for p, _ in files], default_table(), load_catalogue(),
                        LintSettings(select=frozenset({"G080"})), jobs=1)
    by_path = {Path(r.path).name: r for r in report.files}
    total = warned = 0
    for path, sample in files:
        result = by_path[path.name]
        assert result.error is None, result.error
        got: dict[tuple[str, str, str], int] = {}
        for finding in result.findings:
            match = _PAIR.search(finding.message)
            assert match, finding.message
            bubble = re.sub(r"/(header|hero|body|footer)/.*", "", finding.pointer)
            got[(bubble, match.group(1), match.group(2))] = int(match.group(3) or 1)
        want = expected_pairs(sample.contents)
        assert got == want, sample.name
        total += sum(want.values())
        warned += len(got)
    assert warned >= 40 and total >= 150  # the samples are full of pale greys: the test bites


# --- WCAG arithmetic -----------------------------------------------------------------------------------


def _c(value: str) -> tuple[float, float, float]:
    parsed = parse_colour(value)
    assert parsed is not None
    return parsed[0]


def test_wcag_ratios_of_known_pairs() -> None:
    assert contrast(_c("#000000"), _c("#FFFFFF")) == pytest.approx(21)
    assert contrast(_c("#777777"), _c("#FFFFFF")) == pytest.approx(4.478, abs=1e-3)  # famously just fails
    assert contrast(_c("#767676"), _c("#FFFFFF")) == pytest.approx(4.542, abs=1e-3)
    assert contrast(_c("#FFFFFF"), _c("#17C950")) == pytest.approx(2.209, abs=1e-3)


@pytest.mark.parametrize(("colour", "other", "target"), [
    ("#8C8C8C", "#FFFFFF", 4.5), ("#06C755", "#FFFFFF", 4.5), ("#FF334B", "#FFFFFF", 7), ("#1A4D8F", "#111111", 4.5)])
def test_nearest_passing_colour_passes_and_keeps_the_hue(colour: str, other: str, target: float) -> None:
    import colorsys

    found = nearest_passing(_c(colour), _c(other), target)
    assert found is not None
    assert contrast(_c(found), _c(other)) >= target
    hue = colorsys.rgb_to_hls(*(c / 255 for c in _c(colour)))[0]
    assert colorsys.rgb_to_hls(*(c / 255 for c in _c(found)))[0] == pytest.approx(hue, abs=0.02)
    if colour == "#8C8C8C":
        assert found == "#767676"


def test_the_rules_read_the_renderers_table_and_the_spec_defaults() -> None:
    """One table: the rules' defaults are the renderer's, and the renderer's are the spec's."""
    from toolkit.render.flex import table

    assert flex_table() == table()
    assert table()["textColor"].lower() == TEXT and table()["bubbleBackground"].lower() == BUBBLE
    assert {k: (v["background"], v["color"]) for k, v in table()["button"]["styles"].items()} == {
        **{k: v for k, v in BUTTONS.items() if k != "link"}, "link": ("transparent", "#42659a")}
    assert table()["textSize"] == SIZES


def test_contrast_level_aaa_from_the_configuration_file(tmp_path: Path) -> None:
    """A pair that passes AA (5.7:1) fails AAA (7:1) when lnm.toml asks for it; a bad level is refused."""
    body = flex_document({"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": "Delivered", "color": "#5E5E5E"}]}})
    spec = tmp_path / "msg.json"
    spec.write_text(json.dumps(body), encoding="utf-8")

    def lint(config: str) -> subprocess.CompletedProcess[str]:
        (tmp_path / "lnm.toml").write_text(config, encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "toolkit", "lint", "--format", "json", "--select", "G080",
                               str(spec)], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)

    assert lint("").returncode == 0
    proc = lint('[options]\ncontrast-level = "AAA"\n')
    assert proc.returncode == 0, proc.stderr  # a warning does not fail the run by default
    (finding,) = json.loads(proc.stdout)["files"][0]["findings"]
    assert "7:1 WCAG AAA" in finding["message"] and "#5E5E5E" in finding["message"]
    bad = lint('[options]\ncontrast-level = "AAAA"\n')
    assert bad.returncode == 2 and "contrast-level" in bad.stderr
