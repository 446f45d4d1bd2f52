"""docs/restore_by_hand.py restores fresh backups exactly, with stdlib + cryptography only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import envelope, sharing, words
from toolkit.model import Account, Vault, vault_to_json

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "restore_by_hand.py"
TEST_KDF = envelope.KDF_PROFILES["test"]


def vault() -> Vault:
    return Vault((Account(issuer="Example", name="alice", secret=b"0123456789"),
                  Account(issuer="Zoë", name="bob", secret=b"abcdefghij", type="hotp",
                          counter=5, notes="naïve ☃", recovery_codes=("a-1", "b-2"))))


def run(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True,
                          timeout=120, check=False)


@pytest.mark.parametrize("passphrase", [None, "correct horse ünïcode"])
def test_restores_a_fresh_split_exactly(tmp_path: Path, passphrase: str | None) -> None:
    result = sharing.make_split(vault(), 3, 5, (), "pyshamir", passphrase, kdf=TEST_KDF)
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(result.sealed_bytes)
    extra: list[str | Path] = []
    if passphrase:
        pf = tmp_path / "pass.txt"
        pf.write_text(passphrase + "\n", encoding="utf-8")
        extra = ["--passphrase-file", pf]
    s = result.shares
    args = ["--share", " ".join(s[4].words()), "--share", s[0].qr_text(),
            "--share", " ".join(w[:4] for w in s[2].words())]
    proc = run(sealed, *args, *extra)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == vault_to_json(vault())
    too_few = run(sealed, *args[:4], *extra)
    assert too_few.returncode != 0 and b"need 1 more" in too_few.stderr


def test_restores_a_slip39_split_from_the_key(tmp_path: Path) -> None:
    import shamir_mnemonic

    result = sharing.make_split(vault(), 2, 3, (), "slip39", kdf=TEST_KDF)
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(result.sealed_bytes)
    secret = shamir_mnemonic.combine_mnemonics([" ".join(s.words())
                                                for s in result.shares[:2]])
    out = tmp_path / "out.json"
    proc = run(sealed, "--key-hex", secret.hex(), "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == vault_to_json(vault())


def test_mistyped_word_is_refused(tmp_path: Path) -> None:
    result = sharing.make_split(vault(), 2, 2, kdf=TEST_KDF)
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(result.sealed_bytes)
    ws = result.shares[0].words()
    ws[9] = "academic" if ws[9] != "academic" else "acid"
    proc = run(sealed, "--share", " ".join(ws), "--share", result.shares[1].qr_text())
    assert proc.returncode != 0 and b"checksum" in proc.stderr


def test_uses_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    assert roots - {"cryptography", "__future__"} <= set(sys.stdlib_module_names)
    assert "cryptography" in roots


def test_embedded_wordlist_is_the_slip39_list() -> None:
    namespace: dict[str, object] = {}
    source = SCRIPT.read_text(encoding="utf-8")
    start = source.index("WORDLIST = ")
    end = source.index("assert len(WORDLIST)")
    exec(source[start:end], namespace)  # our own file: the list literal only
    assert tuple(namespace["WORDLIST"]) == words.wordlist()  # type: ignore[arg-type]


def test_restores_a_passphrase_only_seal(tmp_path: Path) -> None:
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(envelope.seal_with_passphrase(vault(), "pw", kdf=TEST_KDF).to_bytes())
    pf = tmp_path / "pass.txt"
    pf.write_text("pw\n")
    proc = run(sealed, "--passphrase-file", pf)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == vault_to_json(vault())
