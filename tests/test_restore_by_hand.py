"""docs/restore_by_hand.py restores fresh backups exactly, with stdlib + cryptography only."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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
    """The script in a clean environment: isolated mode (no PYTHONPATH, no user site, not the
    current folder), from another folder, with only PATH set: the toolkit cannot be imported."""
    return subprocess.run([sys.executable, "-I", str(SCRIPT), *map(str, args)],
                          capture_output=True, timeout=600, check=False, cwd=SCRIPT.anchor,
                          env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})


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


# --- adversarial review ------------------------------------------------------------------------

def _worked_example_text() -> dict[str, str]:
    """The values of FORMAT.md section 6, read from the document's text (not from the code)."""
    doc = (SCRIPT.parent / "FORMAT.md").read_text(encoding="utf-8")
    block = doc.split("## 6. Worked example", 1)[1].split("```", 2)[1]
    values: dict[str, str] = {}
    key = ""
    for line in block.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if line.startswith("share "):
            share = line.split(":")[0].replace(" ", "")  # e.g. share1
            values[share + ".x"] = line.split("x = ")[1]
            key = share
            continue
        if ":" in stripped and not stripped.startswith("{"):
            name, _, rest = stripped.partition(":")
            full = f"{key}.{name.strip()}" if line.startswith("  ") and key else name.strip()
            if not line.startswith("  "):
                key = ""
            values[full] = rest.strip()
            last = full
        else:
            values[last] = (values[last] + " " + stripped).strip()
    return values


def test_worked_example_is_reproducible_from_the_text_alone() -> None:
    import hashlib
    import zlib

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    by_hand = _load_script()
    w = _worked_example_text()
    hexes = {k: bytes.fromhex(v.replace(" ", "")) for k, v in w.items()
             if v and not k.endswith(".x") and all(c in "0123456789abcdef " for c in v)}
    canonical = w["vault (canonical bytes, UTF-8)"].encode()
    assert hexes["data key = split secret"] == hashlib.sha256(
        b"paper2fa worked example key").digest()
    assert zlib.decompress(hexes["zlib-compressed vault"]) == canonical
    set_id = bytes.fromhex(w["set id"].split()[0])
    commitments = b""
    points = []
    for i in (1, 2, 3):
        x, y = int(w[f"share{i}.x"]), hexes[f"share{i}.y"]
        commitment = hashlib.sha256(set_id + bytes([x]) + y).digest()[:16]
        assert commitment == hexes[f"share{i}.commitment"]
        commitments += commitment
        record = set_id + bytes([1, 0, 1, (2 - 1) * 16 + (3 - 1), x]) + y
        assert record == hexes[f"share{i}.record"]
        assert by_hand.share_from_words(w[f"share{i}.words"]) == record
        assert by_hand.share_from_qr(w[f"share{i}.QR text"]) == record
        points.append((x, y))
    for pair in ((0, 1), (0, 2), (1, 2)):
        chosen = [points[i] for i in pair]
        assert by_hand.interpolate_at_zero(chosen) == hexes["data key = split secret"]
    header = (b"paper2fa-sealed" + bytes([1]) + set_id + (1).to_bytes(2, "big")
              + bytes([1, 2, 3]) + commitments + bytes([0])
              + hashlib.sha256(canonical).digest()[:10] + (2026).to_bytes(2, "big")
              + bytes([1, 1]) + hexes["vault nonce"])
    assert header == hexes["header (associated data)"]
    ciphertext = AESGCM(hexes["data key = split secret"]).encrypt(
        hexes["vault nonce"], hexes["zlib-compressed vault"], header)
    assert ciphertext == hexes["ciphertext + tag"]
    check = hashlib.sha256(header + ciphertext).digest()
    assert check == hexes["check (SHA-256 of header + ciphertext)"]
    assert header + ciphertext + check == hexes["sealed vault (header + ciphertext + check)"]


def _load_script() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("restore_by_hand", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_more_than_k_with_one_bad_names_it_and_restores(tmp_path: Path) -> None:
    result = sharing.make_split(vault(), 2, 3, kdf=TEST_KDF)
    other = sharing.make_split(vault(), 2, 3, kdf=TEST_KDF)
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(result.sealed_bytes)
    ws = result.shares[0].words()
    ws[9] = "academic" if ws[9] != "academic" else "acid"
    words_file = tmp_path / "words.txt"
    words_file.write_text("\n".join([" ".join(ws), other.shares[1].qr_text(),
                                     result.shares[1].qr_text(), result.shares[1].qr_text(),
                                     " ".join(result.shares[2].words())]) + "\n")
    proc = run(sealed, "--words-file", words_file)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == vault_to_json(vault())
    err = proc.stderr.decode()
    assert "share 1 left out: the checksum" in err
    assert "share 2 left out: it belongs to another backup" in err
    assert "share 4 left out: it is sheet 2 again" in err


def test_clean_messages_for_wrong_passphrase_damage_and_slip39(tmp_path: Path) -> None:
    result = sharing.make_split(vault(), 2, 2, (), "pyshamir", "right", kdf=TEST_KDF)
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(result.sealed_bytes)
    shares = ["--share", result.shares[0].qr_text(), "--share", result.shares[1].qr_text()]
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("wrong\n")
    proc = run(sealed, *shares, "--passphrase-file", wrong)
    assert proc.returncode == 5 and b"wrong passphrase" in proc.stderr
    assert b"Traceback" not in proc.stderr
    right = tmp_path / "right.txt"
    right.write_bytes("\ufeffright\r\n".encode())  # a Windows editor's file
    proc = run(sealed, *shares, "--passphrase-file", right)
    assert proc.returncode == 0, proc.stderr
    data = bytearray(result.sealed_bytes)
    data[30] ^= 1
    sealed.write_bytes(bytes(data))
    proc = run(sealed, *shares, "--passphrase-file", right)
    assert proc.returncode == 6 and b"damaged or tampered" in proc.stderr
    slip = sharing.make_split(vault(), 2, 2, (), "slip39", kdf=TEST_KDF)
    sealed.write_bytes(slip.sealed_bytes)
    proc = run(sealed, "--share", " ".join(slip.shares[0].words()))
    assert proc.returncode == 7 and b"--key-hex" in proc.stderr


def test_checks_the_fingerprint_and_hostile_kdf_like_the_library(tmp_path: Path) -> None:
    import hashlib
    import zlib

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    secret = bytes(range(32))
    inputs = envelope.SealInputs(envelope.SCHEME_PYSHAMIR, 2, 2, (b"A" * 16, b"B" * 16))
    good, _ = envelope.seal(vault(), split_secret=secret, passphrase=None, set_id=b"12345",
                            inputs=inputs, kdf=TEST_KDF)
    other = Vault((Account(issuer="Other", name="x", secret=b"zz"),))
    ct = AESGCM(secret).encrypt(good.header.nonce, zlib.compress(other.canonical_bytes()),
                                good.header.to_bytes())
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(envelope.SealedVault(good.header, ct).to_bytes())
    proc = run(sealed, "--key-hex", secret.hex())
    assert proc.returncode == 6 and b"fingerprint does not match" in proc.stderr
    sealed.write_bytes(good.to_bytes())
    assert run(sealed, "--key-hex", secret.hex()).stdout == vault_to_json(vault())
    hostile = bytearray(envelope.seal_with_passphrase(vault(), "pw", kdf=TEST_KDF).to_bytes())
    hostile[26:30] = bytes([1, 20, 8, 16])  # ~90 s of scrypt if it were run
    body = bytes(hostile[:-32])
    sealed.write_bytes(body + hashlib.sha256(body).digest())
    pf = tmp_path / "pass.txt"
    pf.write_text("pw\n")
    proc = run(sealed, "--passphrase-file", pf)
    assert proc.returncode == 4 and b"absurd scrypt parameters" in proc.stderr


def test_output_is_0600_and_never_over_an_existing_file(tmp_path: Path) -> None:
    import stat

    result = sharing.make_split(vault(), 2, 2, kdf=TEST_KDF)
    sealed = tmp_path / "vault.p2fa"
    sealed.write_bytes(result.sealed_bytes)
    shares = ["--share", result.shares[0].qr_text(), "--share", result.shares[1].qr_text()]
    out = tmp_path / "v.json"
    assert run(sealed, *shares, "-o", out).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    out.write_text("mine")
    proc = run(sealed, *shares, "-o", out)
    assert proc.returncode == 8 and b"cannot write" in proc.stderr
    assert out.read_text() == "mine" and b"Traceback" not in proc.stderr
    proc = run(sealed, "--key-hex", "zz")
    assert proc.returncode == 2 and b"not hexadecimal" in proc.stderr


def _vector_cases() -> list[tuple[str, dict[str, Any]]]:
    import json

    data = json.loads((SCRIPT.parents[1] / "tests" / "vectors" / "sealed-vectors.json")
                      .read_text(encoding="utf-8"))
    return [(kind, case) for kind in ("valid", "invalid") for case in data[kind]
            if bytes.fromhex(case["sealed"])[23:24] != b"\x02"]  # SLIP-39: --key-hex only


_DRIVER = """
import contextlib, io, json, runpy, sys
results = []
for argv in json.load(sys.stdin):
    sys.argv = argv
    out, err, code = io.BytesIO(), io.StringIO(), 0
    stdout = io.TextIOWrapper(out, encoding="utf-8")
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(err):
            runpy.run_path(argv[0], run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
        if not isinstance(exc.code, int) and exc.code is not None:
            err.write(str(exc.code))
    stdout.flush()
    results.append([code, out.getvalue().decode("utf-8"), err.getvalue()])
print(json.dumps(results))
"""


def test_follows_the_vectors(tmp_path: Path) -> None:
    """Every paper2fa-share vector: the same vault, the same number of shares left out, or the
    same exit code as paper2fa (FORMAT.md sections 2 and 3, as the script reads them). One
    clean interpreter runs the script once per case (startup is most of the time)."""
    import json

    cases = _vector_cases()
    runs = []
    for number, (_, case) in enumerate(cases):
        sealed = tmp_path / f"vault-{number}.p2fa"
        sealed.write_bytes(bytes.fromhex(case["sealed"]))
        argv = [str(SCRIPT), str(sealed)]
        for text in case["shares"]:
            argv += ["--share", text]
        if case["passphrase"] is not None:
            pf = tmp_path / f"pass-{number}.txt"
            pf.write_text(case["passphrase"] + "\n", encoding="utf-8")
            argv += ["--passphrase-file", str(pf)]
        runs.append(argv)
    proc = subprocess.run([sys.executable, "-I", "-c", _DRIVER], input=json.dumps(runs).encode(),
                          capture_output=True, timeout=300, check=True, cwd=SCRIPT.anchor,
                          env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    results = json.loads(proc.stdout)
    assert len(results) == len(cases) > 20
    for (kind, case), (code, out, err) in zip(cases, results, strict=True):
        where = case["description"]
        assert "Traceback" not in err, where
        if kind == "valid":
            assert (code, out) == (0, case["vault"] + "\n"), (where, err)
            said = [line for line in err.splitlines() if " left out: " in line]
            assert len(said) == len(case["left_out"]), (where, said)
        else:
            assert code == case["exit_code"], (where, err)
