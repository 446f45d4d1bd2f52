"""tests/vectors/format-vectors.json: canonical JSON, Steam codes, typed words, text lines and
frames, pinned for other implementations (docs/FORMAT.md sections 1, 3, 4, 5); and the text
fallback example of FORMAT.md section 5."""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib.util
import json
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from toolkit import envelope, errors, frames, sharing, textlines
from toolkit.model import Vault, vault_from_json, vault_from_paper

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT / "tests" / "vectors" / "format-vectors.json"
FORMAT_MD = ROOT / "docs" / "FORMAT.md"


def _vectors() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VECTORS.read_text(encoding="utf-8"))
    return data


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("p2fa_vector_generator_formats",
                                                  ROOT / "tests" / "vectors" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_reproduces_the_format_vectors() -> None:
    assert _generator().build_formats() == _vectors()


@pytest.mark.parametrize("case", _vectors()["canonical"]["valid"],
                         ids=lambda c: c["description"][:40])
def test_canonical_bytes_and_fingerprint(case: dict[str, Any]) -> None:
    vault = vault_from_json(case["input"])
    assert vault.canonical_bytes().decode("utf-8") == case["canonical"]
    assert vault.fingerprint == case["fingerprint"]
    # the canonical bytes are a fixed point, and the rules of FORMAT.md section 1 hold
    assert vault_from_json(case["canonical"]).canonical_bytes() == vault.canonical_bytes()
    raw = case["canonical"].encode("utf-8")
    digest = base64.b32encode(hashlib.sha256(raw).digest()[:10]).decode()
    assert "-".join(digest[i:i + 4] for i in range(0, 16, 4)) == case["fingerprint"]


@pytest.mark.parametrize("case", _vectors()["canonical"]["invalid"],
                         ids=lambda c: c["description"])
def test_refused_vaults(case: dict[str, Any]) -> None:
    with pytest.raises(errors.Paper2faError) as err:
        vault_from_json(case["input"])
    assert (type(err.value).__name__, err.value.exit_code, err.value.message) == (
        case["error"], case["exit_code"], case["message"])


def test_steam_codes_follow_the_text_of_format_md() -> None:
    """Computed here from FORMAT.md's description alone, then compared with the vectors."""
    alphabet = "23456789BCDFGHJKMNPQRTVWXY"
    for case in _vectors()["canonical"]["steam"]:
        secret = base64.b32decode(case["secret"] + "=" * (-len(case["secret"]) % 8))
        mac = hmac.new(secret, (case["time"] // case["period"]).to_bytes(8, "big"),
                       hashlib.sha1).digest()
        offset = mac[-1] & 15
        value = int.from_bytes(mac[offset:offset + 4], "big") & 0x7FFFFFFF
        code = ""
        for _ in range(5):
            value, index = divmod(value, 26)
            code += alphabet[index]
        assert code == case["code"]


@pytest.mark.parametrize("case", _vectors()["words"], ids=lambda c: c["description"])
def test_typed_words(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(errors.Paper2faError) as err:
            sharing.share_from_text(case["text"], case["scheme"])
        assert (type(err.value).__name__, err.value.exit_code, err.value.message) == (
            case["error"], case["exit_code"], case["message"])
        return
    share = sharing.share_from_text(case["text"], case["scheme"])
    assert envelope.SCHEMES[share.scheme] == case["share_scheme"]
    assert (share.x, share.y.hex()) == (case["x"], case["y"])


@pytest.mark.parametrize("case", _vectors()["text_lines"]["valid"],
                         ids=lambda c: c["description"])
def test_text_lines_read(case: dict[str, Any]) -> None:
    assert textlines.decode_text(case["text"]) == textlines.TextPayload(
        case["kind"], bytes.fromhex(case["payload"]))


@pytest.mark.parametrize("case", _vectors()["text_lines"]["invalid"],
                         ids=lambda c: c["description"])
def test_text_lines_refused(case: dict[str, Any]) -> None:
    with pytest.raises(errors.Paper2faError) as err:
        textlines.decode_text(case["text"])
    assert (type(err.value).__name__, err.value.exit_code, err.value.message) == (
        case["error"], case["exit_code"], case["message"])


@pytest.mark.parametrize("case", _vectors()["frames"]["frames"],
                         ids=lambda c: c["description"])
def test_single_frames(case: dict[str, Any]) -> None:
    try:
        frame = frames.decode_frame(case["text"])
    except frames.FrameTextError as exc:
        assert exc.outcome == case["outcome"]
    else:
        assert (case["outcome"], frame.index, frame.total) == ("new", case["index"],
                                                               case["total"])


@pytest.mark.parametrize("case", _vectors()["frames"]["sequences"],
                         ids=lambda c: c["description"])
def test_frame_sequences(case: dict[str, Any]) -> None:
    collector = frames.FrameCollector()
    assert [collector.add(t).outcome for t in case["texts"]] == case["outcomes"]


def test_format_md_text_fallback_example_is_the_worked_example() -> None:
    """Section 5's example is section 6's sealed vault, as encode_text prints it."""
    text = FORMAT_MD.read_text(encoding="utf-8")
    section = text.split("## 5. Text fallback", 1)[1].split("\n## 6.", 1)[0]
    printed = _vectors()["text_lines"]["valid"][0]["text"]
    assert "```\n" + printed + "```\n" in section
    sealed = json.loads((ROOT / "tests" / "vectors" / "sealed-vectors.json").read_text(
        encoding="utf-8"))["worked_example"]["sealed"]
    assert textlines.decode_text(printed).payload.hex() == sealed


def test_nothing_may_follow_the_zlib_stream_of_a_plain_vault() -> None:
    """Frame kind V and text kind VAULT, as a sealed vault (FORMAT.md sections 2, 4, 5)."""
    data = zlib.compress(Vault().canonical_bytes(), 9)
    assert vault_from_paper(data) == Vault()
    with pytest.raises(errors.FormatError, match="data after its end"):
        vault_from_paper(data + b"\0")


def test_the_text_fallback_extracted_from_a_pdf_reads_back() -> None:
    """What the PDF prints (two spaces before each check) comes out of a text extractor with
    one: the same module that formats the lines reads them either way (FORMAT.md section 5)."""
    from datetime import UTC, datetime

    import pypdfium2

    from toolkit.model import Account, vault_to_paper
    from toolkit.render.home_safe import render_home_safe
    from toolkit.render.layout import PAPERS

    vault = Vault((Account(issuer="Example", name="alice", secret=b"Hello!\xde\xad\xbe\xef"),))
    pdf = render_home_safe(vault, date=datetime(2026, 1, 1, tzinfo=UTC), generation=1,
                           paper=PAPERS["a4"], text_fallback=True, self_check=False).pdf
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = "\n".join(document[i].get_textpage().get_text_range()
                         for i in range(len(document)))
    finally:
        document.close()
    printed = textlines.encode_text(vault_to_paper(vault), "vault")
    last = printed.splitlines()[-2]
    assert "  " in last.strip() and " ".join(last.split()) in text  # one space once extracted
    start = text.index("P2F-TEXT1 VAULT")
    lines = text[start:text.index("SHA256:", start)].splitlines()
    lines.append(text[text.index("SHA256:", start):].splitlines()[0])
    assert len(lines) == len(printed.splitlines())  # the lines as a person would type them
    assert textlines.decode_text("\n".join(lines)) == textlines.TextPayload(
        "vault", vault_to_paper(vault))


def test_format_md_check_line_example_is_what_the_code_prints() -> None:
    """Section 7's example: the secret line with its check letter, and the check code at
    midnight UTC of the print date, as a UNIX time (what the restore page points to)."""
    from datetime import UTC, datetime

    from toolkit.model import Account, secret_from_base32
    from toolkit.secret_lines import check_line, secret_lines

    section = FORMAT_MD.read_text(encoding="utf-8").split("## 7. Printed secret lines", 1)[1]
    account = Account(issuer="Example", name="alice",
                      secret=secret_from_base32("JBSWY3DPEHPK3PXP"))
    line = secret_lines(account.secret_base32)[0]
    assert f"1 {line.text}   [{line.check}]" in section
    midnight = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    assert f"Check code: {check_line(account, midnight).text} (the code at 2026-01-01 00:00 UTC)" \
        in section
