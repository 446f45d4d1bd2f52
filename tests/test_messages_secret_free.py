"""Messages about refused input never repeat a secret, never carry a raw control character and
stay short, whatever the input (issue 21).

Secrets given where share words or typed-secret fields are expected (an otpauth URI, a bare
base32 secret, a recovery code, a hex secret, a mistyped share word) are named by position and
kind ("word 1 looks like an otpauth URI"), through the real CLI entry point. Huge inputs give
short messages, and the work done for them is counted (tokens looked at, bytes read), not timed.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import pytest

from toolkit import envelope, fsio, sharing, words
from toolkit.display import is_hidden, quoted, shortened
from toolkit.errors import FormatError, ShareError
from toolkit.looks import WORD_LIKE, Looks, described, looks_like
from toolkit.model import Account, Vault
from toolkit.recovery.typed import MAX_WORDS_LINE, parse_typed_secrets, words_file_lines

URI_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
MIGRATION_DATA = "CjEKCkhlbGxvId6tvu8"
SECRETS = {
    "otpauth URI": (f"otpauth://totp/Ex:me?secret={URI_SECRET}", Looks.OTPAUTH_URI, URI_SECRET),
    "base32 secret": (URI_SECRET, Looks.BASE32_SECRET, URI_SECRET),
    "grouped base32 secret": ("JBSW Y3DP EHPK 3PXP", Looks.BASE32_SECRET, "JBSWY3DPEHPK3PXP"),
    "recovery code": ("1a2b-3c4d-5e6f", Looks.RECOVERY_CODE, "1a2b3c4d5e6f"),
    "hex secret": ("3132333435363738393031323334", Looks.HEX_SECRET,
                   "3132333435363738393031323334"),
    "numeric code": ("48213577", Looks.NUMBER, "48213577"),
    "migration link": (f"otpauth-migration://offline?data={MIGRATION_DATA}", Looks.MIGRATION_URI,
                       MIGRATION_DATA),
}
"""Secret-looking things a person may give where share words are expected: the text, its kind
and the secret in it (no 6 characters of which may be in a message)."""

MESSAGE_LIMIT = 300


def secret_parts(secret: str) -> list[str]:
    """Pieces of `secret` a message must not hold: each run of 6 characters of its letters and
    digits (a quote of 20 characters, or a cut one, is caught as well)."""
    plain = "".join(ch for ch in secret if ch.isalnum())
    return [plain[i:i + 6] for i in range(0, max(len(plain) - 5, 1))]


def assert_clean(err: str, *secrets: str) -> str:
    """stderr is one error line and its hint: short, no raw control character, no secret."""
    lines = err.strip("\n").split("\n")
    assert len(lines) == 2, err
    assert lines[0].startswith("paper2fa: error: ") and lines[1].startswith("  what to do: "), err
    assert len(lines[0]) < MESSAGE_LIMIT, lines[0]
    assert not any(is_hidden(ch) for ch in err.replace("\n", "")), err
    flat = "".join(ch for ch in err if ch.isalnum())
    for secret in secrets:
        for part in secret_parts(secret):
            assert part not in flat, (part, err)
    return lines[0]


@pytest.fixture(scope="module")
def split() -> sharing.SplitResult:
    vault = Vault((Account(issuer="Example", name="me", secret=b"0123456789abcdefghij"),))
    return sharing.make_split(vault, 2, 3, rng=random.Random(21).randbytes,
                              kdf=envelope.KDF_PROFILES["test"])


@pytest.fixture
def sealed(tmp_path: Path, split: sharing.SplitResult) -> Path:
    path = tmp_path / "vault.p2fa"
    path.write_bytes(split.sealed_bytes)
    return path


def _runs(path: Path, sealed: Path, out: Path) -> dict[str, tuple[str, ...]]:
    return {
        "inspect": ("inspect", str(path)),
        "restore FILE": ("restore", str(path), "-o", str(out)),
        "combine --share": ("combine", str(sealed), "--share", str(path), "-o", str(out)),
        "combine --words-file": ("combine", str(sealed), "--words-file", str(path), "-o",
                                 str(out)),
        "restore --words-file": ("restore", "--words-file", str(path), str(sealed), "-o",
                                 str(out)),
    }


@pytest.mark.parametrize("what", sorted(SECRETS))
def test_a_secret_given_as_share_words_is_named_by_kind_never_repeated(
        cli: Any, tmp_path: Path, sealed: Path, what: str) -> None:
    text, kind, secret = SECRETS[what]
    path = tmp_path / "in.txt"
    path.write_text(text + "\n")
    out = tmp_path / "out.json"
    for name, args in _runs(path, sealed, out).items():
        r = cli(*args)
        assert r.code in (7, 11), (name, r.err)
        line = assert_clean(r.err, secret)
        assert f"looks like {kind.phrase}" in line, (name, line)
        assert not out.exists()


def test_a_mistyped_share_word_is_named_by_position_with_list_words_only(
        cli: Any, tmp_path: Path, sealed: Path, split: sharing.SplitResult) -> None:
    typed = split.shares[0].words()
    typed[4] = typed[4][:-1] + ("x" if typed[4][-1] != "x" else "z")  # a typo of word 5
    path = tmp_path / "words.txt"
    path.write_text(" ".join(typed) + "\n")
    r = cli("combine", sealed, "--words-file", path, "-o", tmp_path / "out.json")
    line = assert_clean(r.err)
    assert typed[4] not in line
    assert r.code == 7 and "line 1: word 5 is not a share word" in line
    suggested = line.split("did you mean", 1)[1] if "did you mean" in line else ""
    assert all(word in words.wordlist() for word in suggested.strip(" ?").split(" or ")
               if word), line
    # no piece of the share is quoted: a single share word may also be an English word of the
    # message ("have"), so look for two consecutive words of the share
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(typed)]
    assert not any(pair in line for pair in pairs), line


@pytest.mark.parametrize("body", [f"issuer: A\n{URI_SECRET}\n",
                                  "issuer: A\nGGCQ PZQ2 7SLE IO6E RNNB\n"])
def test_typed_secrets_lines_that_are_not_fields_are_described(
        cli: Any, tmp_path: Path, body: str) -> None:
    path = tmp_path / "typed.txt"
    path.write_text(body + "secret: MFRGGZDF\ncheck: 123456 @ 1768435200\n")
    for args in (("check", path), ("restore", "--typed-secrets", path, "-o",
                                   tmp_path / "out.json")):
        r = cli(*args)
        assert r.code == 4, r.err
        line = assert_clean(r.err, URI_SECRET, "GGCQPZQ27SLEIO6ERNNB")
        assert "looks like a base32 secret" in line, line


def test_typed_check_letters_and_unknown_fields_are_quoted_only_when_short_names(
        cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "typed.txt"
    path.write_text(f"issuer: A\n{URI_SECRET}x: y\nsecret: MFRGGZDF\ncheck: 123456 @ 1\n")
    r = cli("check", path)
    assert r.code == 4 and "unknown field that looks like a base32 secret" in r.err
    assert len(r.err.splitlines()) == 3  # the block named, then the error line and its hint
    assert URI_SECRET[:6] not in r.err and not any(is_hidden(c) for c in r.err if c != "\n")
    path.write_text("issuer: A\nsecret: MFRGGZDF\ncheck: 123456 @ 1\ncheck-letters: "
                    + "x" * 10_000 + "\x1b[2J\n")
    r = cli("check", path)
    assert r.code == 4 and "check-letters is 'x" in r.err and len(r.err) < 600
    assert not any(is_hidden(c) for c in r.err if c != "\n")


# --- bounded: long input gives a short message, and the work is counted ----------------------

def test_a_4_mib_line_gives_a_short_message(cli: Any, tmp_path: Path, sealed: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("A" * (4 << 20) + "\n")
    for name, args in _runs(path, sealed, tmp_path / "out.json").items():
        if name.endswith("--words-file"):
            continue  # refused by its line length (below)
        r = cli(*args)
        assert r.code in (3, 7, 11), (name, r.err)
        line = assert_clean(r.err)
        assert "4,194,304 characters" in line or "too large" in line, line
        assert "AAAAAAAA" not in line, line


def test_a_words_file_with_a_line_longer_than_any_share_is_refused_early(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_text("academic " * (MAX_WORDS_LINE // 9 + 1) + "\n")
    with pytest.raises(ShareError, match=r"line 1: this line is .* characters long"):
        words_file_lines(path)


def test_a_huge_words_file_is_refused_without_reading_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "words.txt"
    with path.open("wb") as f:
        f.truncate(60 << 20)  # 60 MiB (sparse)
    read: list[int] = []
    real = fsio.os.read

    def counting(fd: int, n: int) -> bytes:
        data = real(fd, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(fsio.os, "read", counting)
    with pytest.raises(Exception) as info:
        words_file_lines(path)
    assert "larger" in str(info.value) or "too large" in str(info.value)
    assert sum(read) == 0


def test_suggestions_and_word_reading_do_bounded_work(monkeypatch: pytest.MonkeyPatch) -> None:
    looked: list[int] = []
    real = words.difflib.get_close_matches

    def counting(word: str, *args: Any, **kwargs: Any) -> Any:
        looked.append(len(word))
        return real(word, *args, **kwargs)

    monkeypatch.setattr(words.difflib, "get_close_matches", counting)
    assert words.suggestions("q" * 100_000) == []
    with pytest.raises(ShareError):
        words.word_index("z" * (4 << 20))
    with pytest.raises(ShareError):
        words.word_index("grax")
    assert looked and max(looked) <= WORD_LIKE
    # a text of a million words: only the first MAX_TYPED_WORDS + 1 are looked at
    calls: list[str] = []
    real_index = words.word_index

    def counted(word: str, name: str = "the word") -> int:
        calls.append(word)
        return real_index(word, name)

    monkeypatch.setattr(words, "word_index", counted)
    with pytest.raises(ShareError, match="more than 64 words"):
        sharing.share_from_text("academic " * 1_000_000)
    assert len(calls) == words.MAX_TYPED_WORDS + 1
    assert len(words.split_words("a b c d", 2)) == 2


def test_the_word_list_fits_the_word_like_bound() -> None:
    assert max(len(w) for w in words.wordlist()) + 3 == WORD_LIKE


# --- the classifier and the quote helpers -------------------------------------------------------

@pytest.mark.parametrize("what", sorted(SECRETS))
def test_looks_like_names_each_kind(what: str) -> None:
    text, kind, secret = SECRETS[what]
    assert looks_like(text) is kind
    said = described(text)
    assert not any(part in said for part in secret_parts(secret))


def test_looks_like_is_bounded_and_total() -> None:
    assert looks_like("x" * (60 << 20)) is Looks.LONG_TEXT
    assert looks_like("otpauth://" + "x" * (60 << 20)) is Looks.OTPAUTH_URI
    assert looks_like("acadmic") is Looks.WORD
    assert looks_like("academicacid") is Looks.RUN_TOGETHER
    for odd in ("", " ", "\x1b[2J", "\udcff", "é!", "中文"):
        assert isinstance(looks_like(odd), Looks)
        assert not any(is_hidden(ch) for ch in described(odd))


def test_quotes_are_short_and_visible() -> None:
    assert quoted("vault.json") == "'vault.json'"
    long = "a" * 10_000 + "\x1b[2J" + "b" * 10_000
    cut = shortened(long)
    assert len(cut) < 100 and "10,004 characters" not in cut and "20,004 characters" in cut
    assert cut.startswith("a") and cut.endswith("b")
    assert "\\x1b" in shortened("\x1b[31mred")
    assert not any(is_hidden(ch) for ch in shortened("\n" * 1000))


def test_typed_secret_parse_errors_name_the_line() -> None:
    with pytest.raises(FormatError) as info:
        parse_typed_secrets(f"issuer: A\n\n\n{URI_SECRET}\n")
    assert info.value.message.startswith("this line looks like a base32 secret")
    assert info.value.source is not None and info.value.source.line == 4
    assert URI_SECRET[:6] not in info.value.located


def test_import_notes_and_the_no_accounts_error_quote_values_short() -> None:
    from toolkit.importers.base import NOTE_LIMIT, EntryCollector

    collector = EntryCollector("export.json")
    for i in range(3):
        collector.skip(f"entry {i} ({'n' * 10_000}\x1b[2J)", "unsupported OTP type "
                       + "t" * 10_000)
    assert all(len(note) < 2 * NOTE_LIMIT and not any(is_hidden(c) for c in note)
               for note in collector.notes)
    with pytest.raises(FormatError) as info:
        collector.result()
    assert len(info.value.message) < MESSAGE_LIMIT


def test_a_word_with_a_sign_typed_after_it_still_gets_list_words() -> None:
    with pytest.raises(ShareError) as info:
        words.word_index("academic.", "word 4")
    assert info.value.message == "word 4 is not a share word; did you mean academic?"
    with pytest.raises(ShareError) as info:
        words.word_index("\x1b[2J", "word 4")
    assert info.value.message == "word 4 is not a share word"


@pytest.mark.parametrize("document", [
    '{"schemaVersion": %s, "services": []}',  # 2FAS
    '{"version": 1, "header": {"slots": null, "params": null}, "db": {"version": %s, '
    '"entries": []}}',  # Aegis, plain
    '{"version": %s, "header": {}, "db": {}}',  # Aegis file version
])
def test_a_huge_version_is_quoted_shortened(cli: Any, tmp_path: Path, document: str) -> None:
    """Found by a fresh fuzz run (swap-2fas.2fas--schemaVersion--huge and the Aegis ones): a
    4,000-digit version made a message of 4,057 characters."""
    path = tmp_path / "export.json"
    path.write_text(document % ("9" * 4000))
    r = cli("import", path, "-o", tmp_path / "v.json")
    line = assert_clean(r.err)
    assert r.code != 0 and len(line) < 400, line
    assert not (tmp_path / "v.json").exists()
