"""Issue 14 through the real ``lnm`` command: images checked before decoding, safe archive names,
exit 2 for input faults that crashed, no write through a link out of the output folder, and the
live server's Host check on every address."""

from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import signal
import struct
import subprocess
import sys
import threading
import zipfile
import zlib
from pathlib import Path

import pytest

from .conftest import EXAMPLES, SPEC_BODY, write_json

TIMEOUT = 240
FLEX = EXAMPLES / "JP" / "flex_receipt_ja.json"


def lnm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("LNM_CATALOGUE", None)
    env.pop("LNM_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT, env=env, errors="surrogateescape")


def _last_line(stderr: str) -> str:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    return stderr.strip().splitlines()[-1]


def _dirty(folder: Path, name: str) -> Path:
    body = json.loads(json.dumps(SPEC_BODY))
    body["to"] = "not-a-digest"  # one A002 finding
    return write_json(folder / name, body)


def _png_bomb(path: Path, side: int = 13000) -> None:
    """A real PNG of ``side`` x ``side`` one-bit pixels, all zero: about 20 KB on disk, and gigabytes
    once decoded and converted for comparison."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + (side + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
                     + chunk(b"IDAT", body) + chunk(b"IEND", b""))


# --- images from disk are checked before decoding -------------------------------------------------


def test_image_too_large_to_decode_is_refused_from_its_header(tmp_path: Path) -> None:
    from toolkit.errors import InputError
    from toolkit.render._images import load_png

    bomb = tmp_path / "bomb.png"
    _png_bomb(bomb)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(InputError, match=r"image of 13000x13000 pixels is larger than the limit of 50,000,000"):
        load_png(bomb)
    (tmp_path / "not.png").write_bytes(b"GIF89a" + b"\0" * 40)
    with pytest.raises(InputError, match="not a readable PNG"):
        load_png(tmp_path / "not.png")


def test_visual_and_review_baselines_that_are_image_bombs_are_one_line(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "JP" / "shipment_completed_ja.json", tmp_path / "spec.json")
    _png_bomb(tmp_path / "approved" / "spec.en.png")
    result = lnm("preview", "spec.json", "--lang", "en", "--out", "out", "--check", "approved", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert _last_line(result.stderr) == ("lnm: approved/spec.en.png: image of 13000x13000 pixels is larger than "
                                         "the limit of 50,000,000 pixels; not read")
    _png_bomb(tmp_path / "base" / "spec.ja.png")
    review = lnm("review", "spec.json", "--out", "report", "--baseline", "base", cwd=tmp_path)
    assert review.returncode == 2, review.stderr
    assert _last_line(review.stderr) == ("lnm: base/spec.ja.png: image of 13000x13000 pixels is larger than "
                                         "the limit of 50,000,000 pixels; not read")


# --- safe archive names ------------------------------------------------------------------------------


def test_pack_entries_are_slugs_of_the_file_names(tmp_path: Path) -> None:
    from toolkit.review.pack import entry_name

    taken: set[str] = set()
    names = [entry_name(stem, taken) for stem in
             ("..", ".", "a\\..\\..\\evil", "/etc/passwd", "CON", "bell\x07tab\t", "発送完了", "a b", "a_b", "")]
    assert names == ["message", "message-2", "a_____evil", "etc_passwd", "_CON", "bell_tab", "発送完了",
                     "a_b", "a_b-2", "message-3"]
    shutil.copy(FLEX, tmp_path / "...json")
    shutil.copy(FLEX, tmp_path / "a\\..\\..\\request.json")
    result = lnm("pack", "...json", "a\\..\\..\\request.json", "--out", "pack.zip", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "pack.zip") as archive:
        entries = archive.namelist()
    assert len(entries) == len(set(entries))
    assert {entry.split("/")[0] for entry in entries} == {"message", "a_____request", "summary.html",
                                                          "summary.pdf"}
    for entry in entries:
        assert ".." not in entry.split("/") and "\\" not in entry and not entry.startswith("/")
        assert all(ord(char) >= 32 for char in entry)


# --- exit 2 where the input is at fault --------------------------------------------------------------


def test_deeply_nested_approvals_file_is_one_line_before_any_rendering(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "JP" / "shipment_completed_ja.json", tmp_path / "spec.json")
    (tmp_path / "approvals.json").write_text("[" * 100_000 + "]" * 100_000)
    expected = "lnm: approvals.json: not an lnm approvals file: nested too deeply to read"
    for args in (["approve", "spec.json", "--by", "reviewer"], ["lint", "spec.json", "--require-approved"],
                 ["review", "spec.json", "--out", "report"]):
        result = lnm(*args, "--approvals", "approvals.json", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert _last_line(result.stderr) == expected
    assert not (tmp_path / "report" / "images").exists()  # refused before the rendering


@pytest.mark.parametrize("entry", [
    {"path": ["a.json"], "code": "A002", "pointer": "/to", "hash": "0"},
    {"path": "a.json", "code": {"x": 1}, "pointer": "/to", "hash": "0"},
    {"path": "a.json", "code": "A002", "pointer": "/to", "hash": "0", "count": 1e300},
    {"path": "a.json", "code": "A002", "pointer": "/to", "hash": "0", "count": "Infinity"},
    ["a.json", "A002"],
])
def test_baseline_entry_of_the_wrong_type_is_one_line(tmp_path: Path, entry: object) -> None:
    _dirty(tmp_path, "a.json")
    (tmp_path / "baseline.json").write_text(json.dumps({"tool": "lnm", "version": 1, "findings": [entry]}))
    result = lnm("lint", "--no-config", "--baseline", "baseline.json", "a.json", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert _last_line(result.stderr).startswith("lnm: baseline.json: baseline entry 0")


def test_file_names_that_are_not_utf8_in_sarif_json_and_baselines(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    name = os.fsdecode(b"caf\xe9-\xff.json")
    _dirty(specs, name)
    _dirty(specs, "plain.json")
    sarif = lnm("lint", "--no-config", "--format", "sarif", "-o", "out.sarif", "specs", cwd=tmp_path)
    assert sarif.returncode == 1, sarif.stderr
    log = json.loads((tmp_path / "out.sarif").read_bytes().decode("utf-8"))  # valid UTF-8 JSON
    uris = sorted({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]})
    assert uris == ["specs/caf%E9-%FF.json", "specs/plain.json"]
    stdout = lnm("lint", "--no-config", "--format", "sarif", "specs", cwd=tmp_path)
    assert stdout.returncode == 1 and "specs/caf%E9-%FF.json" in stdout.stdout
    as_json = lnm("lint", "--no-config", "--format", "json", "-o", "out.json", "specs", cwd=tmp_path)
    assert as_json.returncode == 1, as_json.stderr
    paths = [entry["path"] for entry in json.loads((tmp_path / "out.json").read_bytes())["files"]]
    assert os.path.join("specs", name) in paths  # the \udcXX escapes read back as the very name
    wrote = lnm("lint", "--no-config", "--write-baseline", "baseline.json", "specs", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    recorded = json.loads((tmp_path / "baseline.json").read_bytes().decode("utf-8"))["findings"]
    assert sorted({entry["path"] for entry in recorded}) == [f"specs/{name}", "specs/plain.json"]
    again = lnm("lint", "--no-config", "--baseline", "baseline.json", "specs", cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr  # the name round-trips: nothing new


# --- no write through a link out of the output folder -------------------------------------------------


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    return outside


def test_preview_update_through_a_linked_baseline_folder_is_refused(tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    (tmp_path / "messages" / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLES / "JP" / "shipment_completed_ja.json", tmp_path / "messages" / "sub" / "spec.json")
    (tmp_path / "approved").mkdir()
    (tmp_path / "approved" / "sub").symlink_to("../outside")
    result = lnm("preview", "messages", "--lang", "en", "--out", "out", "--check", "approved", "--update",
                 cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert _last_line(result.stderr) == (f"lnm: approved/sub: is a symbolic link to {outside}, outside the "
                                         "output folder approved; not written through")
    assert list(outside.iterdir()) == []
    shutil.rmtree(tmp_path / "out")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "sub").symlink_to("../outside")
    direct = lnm("preview", "messages", "--lang", "en", "--out", "out", cwd=tmp_path)
    assert direct.returncode == 2, direct.stderr
    assert _last_line(direct.stderr) == (f"lnm: out/sub: is a symbolic link to {outside}, outside the output "
                                         "folder out; not written through")
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(("args", "link"), [
    (["init"], ".lnm"),
    (["init"], "messages"),
    (["approve", "spec.json", "--by", "reviewer"], ".lnm"),
    (["demo", "--no-previews", "--out", "out"], "out/bodies"),
    (["review", "spec.json", "--out", "out"], "out/images"),
    (["gallery", "--out", "out"], "out/JP"),
])
def test_writers_refuse_a_link_out_of_their_folder(tmp_path: Path, args: list[str], link: str) -> None:
    outside = _outside(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(EXAMPLES / "JP" / "shipment_completed_ja.json", work / "spec.json")
    (work / link).parent.mkdir(parents=True, exist_ok=True)
    (work / link).symlink_to(outside)
    before = sorted(p.name for p in work.rglob("*"))
    result = lnm(*args, cwd=work)
    assert result.returncode == 2, result.stderr
    assert f"is a symbolic link to {outside}, outside the output folder" in _last_line(result.stderr)
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in work.rglob("*")) == before  # nothing written before the refusal


def test_a_link_in_the_place_of_an_output_file_is_replaced_not_followed(tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    victim = outside / "victim.txt"
    victim.write_text("keep me")
    _dirty(tmp_path, "a.json")
    for option in ("-o", "--write-baseline"):
        target = tmp_path / f"report{option}"
        target.symlink_to(victim)
        result = lnm("lint", "--no-config", option, target.name, "a.json", cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
        assert victim.read_text() == "keep me"
        assert target.is_file() and not target.is_symlink()


# --- lnm serve answers only the names it was started for ---------------------------------------------


def _serve(cwd: Path, *args: str) -> tuple[subprocess.Popen[str], queue.Queue[str]]:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", "serve", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stderr is not None
    stderr = proc.stderr
    threading.Thread(target=lambda: [lines.put(line) for line in stderr], daemon=True).start()
    return proc, lines


def _status(port: int, host: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/api/specs", headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.parametrize("bind", ["127.0.0.1", "0.0.0.0"])
def test_serve_checks_the_host_header_on_every_address(tmp_path: Path, bind: str) -> None:
    shutil.copy(EXAMPLES / "JP" / "shipment_completed_ja.json", tmp_path / "spec.json")
    proc, lines = _serve(tmp_path, ".", "--host", bind, "--port", "0", "--allow-host", "preview.example.jp")
    try:
        first = lines.get(timeout=30)
        port = int(first.split(" at http://")[1].split("/")[0].rsplit(":", 1)[1])
        if bind == "0.0.0.0":
            warning = lines.get(timeout=10)
            assert warning.startswith("lnm serve: warning: listening on 0.0.0.0, beyond this machine"), warning
        for host, expected in ((f"localhost:{port}", 200), (f"127.0.0.1:{port}", 200), ("preview.example.jp", 200),
                               (f"rebind.attacker.example:{port}", 400), ("", 400), ("localhost:x", 400)):
            assert _status(port, host) == expected, host
        assert _status(port, "192.0.2.10") == (200 if bind == "0.0.0.0" else 400)  # an address: no rebinding
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=15)
        threading.Event().wait(0.2)  # let the reader take the last lines
        assert proc.stderr is not None
        proc.stderr.close()
    assert code == 0
    if bind == "127.0.0.1":
        assert lines.qsize() <= 1  # no warning on loopback: only "stopped" may follow


# --- bounded previews ---------------------------------------------------------------------------------


def _giant_carousel(component: dict[str, object]) -> dict[str, object]:
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [component]}}
    return {"kind": "flexible", "language": "en", "samples": {"default": {}},
            "messages": [{"type": "flex", "altText": "Your order has shipped",
                          "contents": {"type": "carousel", "contents": [bubble] * 12}}]}


@pytest.mark.parametrize(("name", "component", "pointer"), [
    ("tall-boxes", {"type": "box", "layout": "vertical", "height": "99999px",
                    "contents": [{"type": "text", "text": "Shipped"}]}, "height"),
    ("giant-text", {"type": "text", "text": "Shipped", "size": "99999px", "wrap": True}, "size"),
])
def test_a_page_taller_than_any_message_is_cut_and_the_sidecar_says_so(tmp_path: Path, name: str,
                                                                       component: dict[str, object],
                                                                       pointer: str) -> None:
    from toolkit.limits import PREVIEW_MAX_HEIGHT

    write_json(tmp_path / f"{name}.json", _giant_carousel(component))
    lint = lnm("lint", "--select", "G065", "--format", "json", f"{name}.json", cwd=tmp_path)
    assert lint.returncode == 0, lint.stderr  # a warning: the message is valid, and silly
    found = json.loads(lint.stdout)["files"][0]["findings"]
    assert len(found) == 12 and {f["pointer"].rsplit("/", 1)[-1] for f in found} == {pointer}
    result = lnm("preview", f"{name}.json", "--lang", "en", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sidecar = json.loads((tmp_path / "out" / f"{name}.en.json").read_text())
    assert sidecar["cut"]["shownHeight"] == PREVIEW_MAX_HEIGHT
    assert sidecar["cut"]["pageHeight"] > 8 * PREVIEW_MAX_HEIGHT  # one row of bubbles, each giant
    assert sidecar["image"]["height"] == 2 * PREVIEW_MAX_HEIGHT  # device scale 2
    assert sidecar["carousel"]["rowImage"]["height"] == 2 * PREVIEW_MAX_HEIGHT, "the whole row is cut too"


# --- lnm serve follows its folder when it is replaced -------------------------------------------------


def test_serve_follows_a_replaced_folder_and_says_when_it_is_gone(tmp_path: Path) -> None:
    import time

    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(EXAMPLES / "JP" / "shipment_completed_ja.json", specs / "a.json")
    proc, lines = _serve(tmp_path, "specs", "--port", "0")
    events: queue.Queue[dict[str, object]] = queue.Queue()
    reader: threading.Thread | None = None
    try:
        port = int(lines.get(timeout=30).split("127.0.0.1:")[1].split("/")[0])

        def read_events() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                connection.request("GET", "/events")
                with connection.getresponse() as response:
                    for raw in response:
                        if raw.startswith(b"data:"):
                            events.put(json.loads(raw[5:]))
            except OSError:
                pass  # the server stopped
            finally:
                connection.close()

        reader = threading.Thread(target=read_events, daemon=True)
        reader.start()
        assert events.get(timeout=10)["lost"] == []

        def next_event(wanted: object) -> dict[str, object]:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                event = events.get(timeout=max(deadline - time.monotonic(), 0.1))
                if wanted(event):  # type: ignore[operator]
                    return event
            raise AssertionError("no such event")

        (tmp_path / "specs").rename(tmp_path / "old")  # a branch switch: the folder is replaced
        specs.mkdir()
        shutil.copy(tmp_path / "old" / "a.json", specs / "b.json")
        next_event(lambda e: "specs/b.json" in e["changed"])
        time.sleep(0.5)
        with (specs / "b.json").open("a") as handle:
            handle.write("\n")  # an edit in the new folder is followed
        next_event(lambda e: e["changed"] == ["specs/b.json"])
        specs.rename(tmp_path / "gone")
        next_event(lambda e: e["lost"] == ["specs"])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/api/specs")
            assert json.loads(connection.getresponse().read())["lost"] == ["specs"]  # the page says so
        finally:
            connection.close()
        (tmp_path / "gone").rename(specs)
        next_event(lambda e: e["lost"] == [] and "specs/b.json" in e["changed"])
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=15)
        assert proc.stderr is not None
        proc.stderr.close()
        if reader is not None:
            reader.join(timeout=10)
    assert code == 0
