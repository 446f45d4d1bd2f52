"""`import` says when a URI's label names another issuer than its issuer= parameter, and which
one it kept (issue 19): the parser returns the disagreement as data (`uri.IssuerMismatch`), the
importer carries it (`ImportResult.issuer_notes`), the CLI words it."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from toolkit import constants as C
from toolkit.uri import IssuerMismatch, read_otpauth

S = "JBSWY3DPEHPK3PXP"


def secret(n: int) -> str:
    """A distinct valid base32 secret for entry `n`."""
    return base64.b32encode(bytes([n]) * 10).decode()


def test_the_parser_reports_two_issuers_and_keeps_the_parameter() -> None:
    reading = read_otpauth(f"otpauth://totp/Foo:alice?secret={S}&issuer=Bar")
    assert reading.account.issuer == "Bar" and reading.account.name == "alice"
    assert reading.issuer_mismatch == IssuerMismatch("Foo", "Bar", "alice", "parameter")
    assert reading.issuer_mismatch.kept_issuer == "Bar"
    assert reading.issuer_mismatch.dropped_issuer == "Foo"


def test_agreeing_or_single_issuers_are_no_mismatch() -> None:
    for uri in (f"otpauth://totp/Foo:alice?secret={S}&issuer=Foo",
                f"otpauth://totp/%20Foo%20:alice?secret={S}&issuer=Foo",
                f"otpauth://totp/Foo:alice?secret={S}",
                f"otpauth://totp/alice?secret={S}&issuer=Bar",
                f"otpauth://totp/A%3AB:alice?secret={S}&issuer=A%3AB",
                f"steam://{S}"):
        assert read_otpauth(uri).issuer_mismatch is None, uri


def _vault(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_import_names_the_uri_and_the_issuer_it_kept(cli: Any, tmp_path: Path) -> None:
    uris = tmp_path / "uris.txt"
    uris.write_text(f"otpauth://totp/Same:bob?secret={S}&issuer=Same\n"
                    f"otpauth://totp/Old%20Name:alice?secret={secret(1)}&issuer=New%20Name\n"
                    f"otpauth://totp/Evil\x1b[2J:eve?secret={secret(2)}&issuer=Good\n",
                    encoding="utf-8")
    result = cli("import", uris, "-o", tmp_path / "v.json")
    assert result.code == 0, result.err
    lines = [line for line in result.err.splitlines() if "the label names the issuer" in line]
    assert lines == [
        'paper2fa: URI list: line 2 (New Name:alice): the label names the issuer "Old Name" '
        'and the issuer= parameter "New Name"; kept the issuer= parameter\'s "New Name", '
        'not "Old Name"',
        'paper2fa: URI list: line 3 (Good:eve): the label names the issuer "Evil\\x1b[2J" and '
        'the issuer= parameter "Good"; kept the issuer= parameter\'s "Good", not '
        '"Evil\\x1b[2J"',
    ]
    issuers = [a["issuer"] for a in _vault(tmp_path / "v.json")["accounts"]]
    assert sorted(issuers) == ["Good", "New Name", "Same"]


def test_many_mismatches_are_listed_then_counted(cli: Any, tmp_path: Path) -> None:
    count = C.MAX_LISTED_NOTES + 3
    uris = tmp_path / "uris.txt"
    uris.write_text("".join(f"otpauth://totp/L{n}:u{n}?secret={secret(n)}&issuer=P{n}\n"
                            for n in range(count)), encoding="utf-8")
    result = cli("import", uris, "-o", tmp_path / "v.json")
    assert result.code == 0, result.err
    listed = [line for line in result.err.splitlines() if "the label names the issuer" in line]
    assert len(listed) == C.MAX_LISTED_NOTES
    assert ("paper2fa: URI list: 3 more URIs name one issuer in the label and another in the "
            "issuer= parameter; kept the issuer= parameter's") in result.err.splitlines()
