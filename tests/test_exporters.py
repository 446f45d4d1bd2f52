"""Exporters: round trips through the real importers, QR read-back, determinism, and the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import random
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import reportlab
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import constants as C
from toolkit import gauth_migration
from toolkit.demo import demo_vault
from toolkit.errors import FormatError
from toolkit.exporters import ExportOptions, all_exporters, export_vault
from toolkit.exporters.gauth_qr import plan
from toolkit.exporters.reenroll_pdf import reenroll_sheet
from toolkit.importers import import_bytes
from toolkit.model import Account, Vault, vault_to_json
from toolkit.scan import decode_bytes
from toolkit.uri import build_otpauth, parse_otpauth

FIXED_DAY = date(2026, 1, 2)
OPTIONS = ExportOptions(now=1_767_312_000, day=FIXED_DAY)

HOLDS: dict[str, tuple[str, ...]] = {
    "otpauth": (),
    "aegis": ("notes", "tags"),
    "2fas": ("first_tag",),
}
"""What each file format keeps besides the codes' settings (2FAS: one group per account)."""

_OPTIONAL = ("notes", "tags", "recovery_codes", "other_factors")


def held(account: Account, holds: tuple[str, ...]) -> Account:
    """The account as a format can hold it: the optional fields it has no place for emptied.

    Labels and code settings always come back exactly (toolkit.uri round-trips every account).
    """
    changes: dict[str, Any] = {f: type(getattr(account, f))() for f in _OPTIONAL if f not in holds}
    if "first_tag" in holds:
        changes["tags"] = account.tags[:1]
    return replace(account, **changes)


def reimport(data: bytes, filename: str) -> Vault:
    return import_bytes(data, filename).vault


def fresh_options(seed: int = 0) -> ExportOptions:
    return replace(OPTIONS, rng=random.Random(seed))


FILE_NAMES = {"otpauth": "out.txt", "aegis": "out.json", "2fas": "out.2fas"}


# --- strategies -------------------------------------------------------------------------------

_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")),
        st.sampled_from(":%+&?#/= @"),  # the characters URIs and labels treat specially
    ),
    max_size=16,
)


@st.composite
def accounts(draw: st.DrawFn) -> Account:
    otp_type = draw(st.sampled_from(C.OTP_TYPES))
    return Account(
        issuer=draw(_text),
        name=draw(_text),
        secret=draw(st.binary(min_size=1, max_size=64)),
        type=otp_type,
        algorithm=draw(st.sampled_from(C.ALGORITHMS)),
        digits=draw(st.integers(C.MIN_DIGITS, C.MAX_DIGITS)),
        period=draw(st.integers(1, C.MAX_PERIOD)),
        counter=draw(st.integers(0, C.MAX_COUNTER)),
        notes=draw(_text),
        tags=tuple(draw(st.lists(_text, max_size=3))),
        recovery_codes=tuple(draw(st.lists(_text, max_size=2))),
        other_factors=tuple(draw(st.lists(_text, max_size=2))),
    )


def _distinct(accounts_: list[Account]) -> Vault:
    seen: dict[Any, Account] = {}
    for account in accounts_:
        seen.setdefault(account.params_key, account)
    return Vault(tuple(seen.values()))


vaults = st.lists(accounts(), min_size=1, max_size=5).map(_distinct)


# --- round trips ------------------------------------------------------------------------------


def test_registry_has_every_format() -> None:
    names = {e.name for e in all_exporters()}
    assert names == {"otpauth", "aegis", "2fas", "gauth-qr", "reenroll-pdf"}


@pytest.mark.parametrize("fmt", sorted(HOLDS))
def test_demo_vault_round_trip(fmt: str) -> None:
    vault = demo_vault()
    result = export_vault(vault, fmt, fresh_options())
    again = reimport(result.data, FILE_NAMES[fmt])
    assert again == Vault(tuple(held(a, HOLDS[fmt]) for a in vault.accounts))


@pytest.mark.parametrize("fmt", sorted(HOLDS))
def test_warnings_name_each_account_whose_data_was_dropped(fmt: str) -> None:
    vault = demo_vault()
    result = export_vault(vault, fmt, fresh_options())
    lossy = [a for a in vault.accounts if held(a, HOLDS[fmt]) != a]
    assert lossy, "the demo vault has notes, tags and recovery codes"
    for account in lossy:
        assert any(w.startswith(account.label + ":") for w in result.warnings), account.label
    for account in vault.accounts:
        if (account not in lossy and account.digits in (6, 7, 8) and account.period in (30, 60)
                and account.type != "steam" and ":" not in account.name):
            assert not any(w.startswith(account.label + ":") for w in result.warnings)
    # warnings never carry secrets or recovery codes
    blob = "\n".join(result.warnings)
    for account in vault.accounts:
        assert account.secret_base32 not in blob
        assert not any(code in blob for code in account.recovery_codes)


@pytest.mark.parametrize("fmt", sorted(HOLDS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vault=vaults)
def test_generated_vaults_round_trip(fmt: str, vault: Vault) -> None:
    refused = [a for a in vault.accounts if app_refuses(fmt, a)]
    if len(refused) == len(vault):
        with pytest.raises(FormatError, match="no account of this vault"):
            export_vault(vault, fmt, fresh_options())
        return
    result = export_vault(vault, fmt, fresh_options())
    assert sorted(out.label for out in result.left_out) == sorted(a.label for a in refused)
    again = reimport(result.data, FILE_NAMES[fmt])
    written = [a for a in vault.accounts if a not in refused]
    assert again == Vault(tuple(held(a, HOLDS[fmt]) for a in written))
    for account in written:
        if held(account, HOLDS[fmt]) != account:
            assert any(w.startswith(account.label + ":") for w in result.warnings)


def app_refuses(fmt: str, account: Account) -> bool:
    """What each app's own model refuses (2FAS: `counter: Int?`; Aegis: period in ms fits an
    int); the exporter leaves such an account out instead of writing a file the app refuses."""
    if fmt == "2fas":
        return account.type == "hotp" and account.counter > 2**31 - 1
    if fmt == "aegis":
        return account.type != "hotp" and account.period > (2**31 - 1) // 1000
    return False


def test_uri_issuer_with_colon() -> None:
    account = Account(issuer="Corp: EU", name="alice", secret=b"0123456789")
    assert reimport(export_vault(Vault((account,)), "otpauth").data, "x.txt") == Vault((account,))


def test_aegis_file_shape_and_groups() -> None:
    vault = demo_vault()
    doc = json.loads(export_vault(vault, "aegis", fresh_options()).data)
    assert doc["version"] == 1
    assert doc["header"] == {"slots": None, "params": None}
    assert doc["db"]["version"] == 3
    groups = {g["uuid"]: g["name"] for g in doc["db"]["groups"]}
    assert sorted(groups.values()) == sorted({t for a in vault.accounts for t in a.tags})
    for entry, account in zip(doc["db"]["entries"], vault.accounts, strict=True):
        assert [groups[g] for g in entry["groups"]] == list(account.tags)
        assert entry["note"] == account.notes
        assert entry["type"] == account.type
    uuids = [e["uuid"] for e in doc["db"]["entries"]] + list(groups)
    assert len(set(uuids)) == len(uuids)


def test_uuids_come_from_the_rng() -> None:
    vault = demo_vault()
    a = export_vault(vault, "aegis", fresh_options(1)).data
    assert a == export_vault(vault, "aegis", fresh_options(1)).data
    assert a != export_vault(vault, "aegis", fresh_options(2)).data


def test_2fas_file_shape() -> None:
    vault = demo_vault()
    doc = json.loads(export_vault(vault, "2fas", fresh_options()).data)
    assert doc["schemaVersion"] == 4
    assert doc["updatedAt"] == OPTIONS.now * 1000
    types = {s["otp"]["tokenType"] for s in doc["services"]}
    assert types == {"TOTP", "HOTP", "STEAM"}
    links = [parse_otpauth(s["otp"]["link"]) for s in doc["services"]]
    assert [a.secret for a in links] == [a.secret for a in vault.accounts]


def test_2fas_warns_about_what_the_app_cannot_hold() -> None:
    odd = Account(issuer="Odd", name="x", secret=b"0123456789abcdef", digits=4, period=45)
    big = Account(issuer="Big", name="y", secret=b"fedcba9876543210", type="hotp",
                  counter=2**32)
    edge = Account(issuer="Edge", name="z", secret=b"fedcba9876543211", type="hotp",
                   counter=2**31 - 1)
    result = export_vault(Vault((odd, big, edge)), "2fas", fresh_options())
    text = "\n".join(result.warnings)
    assert "Odd: x: 2FAS offers only 6-8 digits" in text
    assert "Odd: x: 2FAS offers only 30, 60 and 90 s periods" in text
    # 2FAS declares `counter: Int?`: 4294967296 would make it refuse the whole backup
    [out] = result.left_out
    assert out.label == "Big: y" and "4294967296" in out.reason and "--format aegis" in out.carry
    doc = json.loads(result.data)
    assert [s["otp"]["counter"] for s in doc["services"]] == [2**31 - 1, None]
    assert "4294967296" not in result.data.decode()
    only_big = Vault((big,))
    with pytest.raises(FormatError, match="no account of this vault"):
        export_vault(only_big, "2fas", fresh_options())


TWOFAS_INT_FIELDS = {("otp", "digits"), ("otp", "period"), ("otp", "counter"),
                     ("order", "position"), ("", "schemaVersion"), ("", "appVersionCode")}
"""Fields 2FAS Android declares `Int` (BackupService, BackupContent); `updatedAt` is `Long`."""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vault=vaults)
def test_2fas_fields_fit_the_apps_model(vault: Vault) -> None:
    if all(app_refuses("2fas", a) for a in vault.accounts):
        return
    doc = json.loads(export_vault(vault, "2fas", fresh_options()).data)
    int_max, long_max = 2**31 - 1, 2**63 - 1
    assert 0 <= doc["schemaVersion"] <= int_max and 0 <= doc["updatedAt"] <= long_max
    tints = {"Default", "Red", "Orange", "Yellow", "Green", "Turquoise", "LightBlue", "Indigo",
             "Pink", "Purple", "Brown"}
    for service in doc["services"]:
        assert isinstance(service["name"], str) and isinstance(service["secret"], str)
        for section, key in TWOFAS_INT_FIELDS - {("", "schemaVersion"), ("", "appVersionCode")}:
            value = service[section][key]
            assert value is None or (isinstance(value, int) and -int_max - 1 <= value <= int_max)
        assert 0 <= service["updatedAt"] <= long_max
        assert service["otp"]["tokenType"] in {"TOTP", "HOTP", "STEAM"}
        assert service["otp"]["algorithm"] in {"SHA1", "SHA224", "SHA256", "SHA384", "SHA512"}
        assert service["otp"]["source"] in {"Link", "Manual"}
        assert service["icon"]["selected"] in {"Brand", "Label", "IconCollection"}
        assert service["icon"]["label"]["backgroundColor"] in tints
    for group in doc["groups"]:
        assert isinstance(group["isExpanded"], bool) and 0 <= group["updatedAt"] <= long_max


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vault=vaults)
def test_aegis_fields_fit_the_apps_model(vault: Vault) -> None:
    """Aegis' VaultEntry/OtpInfo.fromJson: digits 1-10, int period > 0 with period * 1000 an
    int, long counter >= 0, algo SHA1/SHA256/SHA512, string uuid/name/issuer, icon present."""
    if all(app_refuses("aegis", a) for a in vault.accounts):
        return
    doc = json.loads(export_vault(vault, "aegis", fresh_options()).data)
    for entry in doc["db"]["entries"]:
        info = entry["info"]
        assert 1 <= info["digits"] <= 10 and info["algo"] in {"SHA1", "SHA256", "SHA512"}
        if entry["type"] == "hotp":
            assert 0 <= info["counter"] <= 2**63 - 1
        else:
            assert 0 < info["period"] <= (2**31 - 1) // 1000
        if entry["type"] == "steam":
            assert info["digits"] == 5
        assert "icon" in entry and isinstance(entry["name"], str)


def test_aegis_leaves_out_a_period_aegis_refuses() -> None:
    long_period = Account(issuer="Slow", name="a", secret=b"0123456789", period=2147484)
    ok = Account(issuer="Fine", name="b", secret=b"0123456789", period=2147483)
    result = export_vault(Vault((long_period, ok)), "aegis", fresh_options())
    assert [out.label for out in result.left_out] == ["Slow: a"]
    assert [e["info"]["period"] for e in json.loads(result.data)["db"]["entries"]] == [2147483]


# --- Google Authenticator ---------------------------------------------------------------------


def _as_google_keeps(account: Account) -> Account:
    return held(account, ())


GOOGLE_LEFT_OUT = {
    "Example Games (demo): alice_gamer",  # Steam
    "Example Shop (demo): alice",  # 7 digits
    "Example Bank (demo): alice",  # 60 s: Google would show 30 s codes that never work
    "Example Social (demo): @alice",
}


def _decoded_accounts(texts: list[str]) -> list[Account]:
    found: list[Account] = []
    for text in texts:
        found.extend(gauth_migration.decode_payload(gauth_migration.parse_migration_uri(text)))
    return found


def test_gauth_png_read_back() -> None:
    vault = demo_vault()
    result = export_vault(vault, "gauth-qr", replace(fresh_options(), container="png"))
    assert result.multi and result.extension == ".png"
    texts = []
    for png in result.files:
        assert png.startswith(b"\x89PNG")
        codes = decode_bytes(png)
        assert len(codes) == 1
        texts.append(codes[0].text)
    kept, _, left_out = plan(vault)
    assert Vault(tuple(_decoded_accounts(texts))) == Vault(tuple(map(_as_google_keeps, kept)))
    assert {a.label for a in vault.accounts} - {a.label for a in kept} == GOOGLE_LEFT_OUT
    assert {out.label for out in result.left_out} == GOOGLE_LEFT_OUT
    assert result.left_out == tuple(left_out)
    assert all("reenroll-pdf" in out.carry for out in result.left_out)
    assert not any(w.startswith(label) for w in result.warnings for label in GOOGLE_LEFT_OUT)


def test_gauth_pdf_read_back() -> None:
    vault = demo_vault()
    result = export_vault(vault, "gauth-qr", fresh_options())
    assert result.data.startswith(b"%PDF-")
    codes = decode_bytes(result.data)
    pages = {c.page for c in codes}
    assert len(pages) == len(codes)  # one code per page
    kept, _, _ = plan(vault)
    decoded = _decoded_accounts([c.text for c in codes])
    assert Vault(tuple(decoded)) == Vault(tuple(map(_as_google_keeps, kept)))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vault=vaults)
def test_gauth_generated_vaults(vault: Vault) -> None:
    kept, _, _ = plan(vault)
    if not kept:
        return
    result = export_vault(vault, "gauth-qr", replace(fresh_options(), container="png"))
    texts = [code.text for png in result.files for code in decode_bytes(png)]
    assert Vault(tuple(_decoded_accounts(texts))) == Vault(tuple(map(_as_google_keeps, kept)))


# --- re-enrolment sheet -----------------------------------------------------------------------


def _core(account: Account) -> Account:
    return held(account, ())


def test_reenroll_pdf_holds_every_account() -> None:
    vault = demo_vault()
    pdf = export_vault(vault, "reenroll-pdf", fresh_options()).data
    codes = decode_bytes(pdf)
    assert sorted(c.text for c in codes) == sorted(build_otpauth(a) for a in vault.accounts)
    assert Vault(tuple(parse_otpauth(c.text) for c in codes)) == Vault(
        tuple(map(_core, vault.accounts)))
    per_page: dict[int, int] = {}
    for code in codes:
        per_page[code.page] = per_page.get(code.page, 0) + 1
    assert max(per_page.values()) <= 4  # codes of at least 44 mm (render/reenroll.py)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_reenroll_paper_sizes(paper: str) -> None:
    import pypdfium2

    pdf, _ = render_reenroll(demo_vault(), replace(OPTIONS, paper=paper))
    doc = pypdfium2.PdfDocument(pdf)
    try:
        width, height = doc[0].get_size()
    finally:
        doc.close()
    expected = (595.3, 841.9) if paper == "a4" else (612.0, 792.0)
    assert (round(width, 1), round(height, 1)) == expected


def _page_texts(pdf: bytes) -> list[str]:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        texts = []
        for index in range(len(doc)):
            textpage = doc[index].get_textpage()
            texts.append(" ".join(textpage.get_text_range().split()))
        return texts
    finally:
        doc.close()


def test_reenroll_critical_first_then_by_issuer() -> None:
    _, uris = render_reenroll(demo_vault(), OPTIONS)
    ordered = [parse_otpauth(u) for u in uris]
    critical = [a for a in demo_vault().accounts if "critical" in a.tags]
    assert {(a.issuer, a.name) for a in ordered[: len(critical)]} == {
        (a.issuer, a.name) for a in critical}
    rest = [a.issuer.casefold() for a in ordered[len(critical):]]
    assert rest == sorted(rest)


def test_reenroll_labels_tick_boxes_and_notes_on_the_page() -> None:
    vault = demo_vault()
    pdf, _ = render_reenroll(vault, OPTIONS)
    codes = decode_bytes(pdf)
    texts = _page_texts(pdf)
    everything = " ".join(texts)
    assert everything.count("Done: scanned into the new phone and the code works") == len(vault)
    assert "2026-01-02" in everything and vault.fingerprint in everything
    for account in vault.accounts:
        page = next(c.page for c in codes if c.text == build_otpauth(account))
        text = texts[page - 1]
        assert f"Account: {account.name}" in text
        simple = "Google Authenticator and Microsoft Authenticator ignore" in text
        if account.type == "steam":
            assert "this Steam Guard code is read by Aegis, 2FAS and andOTP" in text
        if account.digits == 7:  # Example Shop: the only 7-digit account
            assert "ignore 7 digits" in text
        if account.type == "hotp":
            assert "not with time" in text
        if not any(a.type == "steam" or a.type == "hotp" or ignored(a)
                   for a in vault.accounts if page == _page_of(codes, a)):
            assert not simple


def ignored(account: Account) -> bool:
    from toolkit.uri import ignored_by_simple_apps

    return bool(ignored_by_simple_apps(account))


def _page_of(codes: list[Any], account: Account) -> int:
    return int(next(c.page for c in codes if c.text == build_otpauth(account)))


@pytest.mark.usefixtures("self_check_loses_a_code")
def test_reenroll_self_check_catches_a_bad_pdf() -> None:
    from toolkit.errors import SelfCheckError

    with pytest.raises(SelfCheckError):
        export_vault(demo_vault(), "reenroll-pdf", OPTIONS)
    # --no-self-check skips the read-back (benchmarks)
    export_vault(demo_vault(), "reenroll-pdf", replace(OPTIONS, self_check=False))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vault=vaults)
def test_reenroll_generated_vaults(vault: Vault) -> None:
    pdf = export_vault(vault, "reenroll-pdf", OPTIONS).data  # self-checked at 150 DPI
    texts = [c.text for c in decode_bytes(pdf, dpi=150)]
    assert sorted(texts) == sorted(build_otpauth(a) for a in vault.accounts)


def test_reenroll_too_long_for_a_qr_code(cli: Any, tmp_path: Path) -> None:
    from toolkit.errors import AccountError

    huge = Account(issuer="I" * 3000, name="me", secret=bytes(range(20)))
    with pytest.raises(AccountError, match="too much data for one QR code"):
        export_vault(Vault((huge,)), "reenroll-pdf", OPTIONS)
    src = tmp_path / "huge.json"
    src.write_bytes(vault_to_json(Vault((huge,))))
    result = cli("export", src, "--format", "reenroll-pdf", "-o", tmp_path / "sheet.pdf")
    assert result.code == 4 and "too much data" in result.err
    assert not (tmp_path / "sheet.pdf").exists()


def render_reenroll(vault: Vault, options: ExportOptions) -> tuple[bytes, list[str]]:
    """The sheet's PDF and the QR texts drawn on it (not read back: the tests decode it)."""
    sheet = reenroll_sheet(vault, replace(options, self_check=False))
    return sheet.pdf, sheet.qr_texts


GOLDEN_REENROLL_SHA256 = {
    "5.1.0": "6cdb02a0f0b6aad6ab070174f0f596e2ab3c789d8447474144be2f024eb6326b",
}
"""sha256 of the demo sheet for FIXED_DAY, per reportlab version (fonts from toolkit/data).

After an intended change to the sheet (or to toolkit/render), look at the new PDF and record its
hash: .venv/bin/python -c "import hashlib; from tests.test_exporters import OPTIONS;
from tests.test_exporters import render_reenroll; from toolkit.demo import demo_vault;
print(hashlib.sha256(render_reenroll(demo_vault(), OPTIONS)[0]).hexdigest())"
"""


def test_reenroll_is_deterministic_golden() -> None:
    first, _ = render_reenroll(demo_vault(), OPTIONS)
    second, _ = render_reenroll(demo_vault(), OPTIONS)
    assert first == second
    other_day, _ = render_reenroll(demo_vault(), replace(OPTIONS, day=date(2026, 1, 3)))
    assert other_day != first
    golden = GOLDEN_REENROLL_SHA256.get(reportlab.Version)
    if not golden:
        pytest.skip(f"no golden hash recorded for reportlab {reportlab.Version}")
    assert hashlib.sha256(first).hexdigest() == golden


# --- CLI --------------------------------------------------------------------------------------


@pytest.fixture
def vault_file(tmp_path: Path) -> Path:
    path = tmp_path / "vault.json"
    path.write_bytes(vault_to_json(demo_vault()))
    return path


@pytest.mark.parametrize("fmt", sorted(HOLDS))
def test_cli_export_round_trip(cli: Any, vault_file: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / FILE_NAMES[fmt]
    result = cli("export", vault_file, "--format", fmt, "-o", out)
    assert result.code == 0, result.err
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert "Example Code Host (demo): alice-dev:" in result.err  # recovery codes dropped
    assert reimport(out.read_bytes(), out.name) == Vault(
        tuple(held(a, HOLDS[fmt]) for a in demo_vault().accounts))
    listed = cli("list", out, "--json")
    assert listed.code == 0
    assert len(listed.json()["accounts"]) == len(demo_vault())


def test_cli_refuses_to_overwrite(cli: Any, vault_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("keep me")
    result = cli("export", vault_file, "--format", "otpauth", "-o", out)
    assert result.code == 8
    assert "exists already" in result.err and "--force" in result.err
    assert out.read_text() == "keep me"
    forced = cli("export", vault_file, "--format", "otpauth", "-o", out, "--force")
    assert forced.code == 0
    assert out.read_text().startswith("otpauth://")


def test_cli_gauth_png_files(cli: Any, vault_file: Path, tmp_path: Path) -> None:
    result = cli("export", vault_file, "--format", "gauth-qr", "-o", tmp_path / "g.png")
    assert result.code == 0, result.err
    files = sorted(tmp_path.glob("g-*.png"))
    assert [f.name for f in files] == [f"g-{n}.png" for n in range(1, len(files) + 1)]
    total, written = len(demo_vault()), len(demo_vault()) - len(GOOGLE_LEFT_OUT)
    assert f"exported {written} of {total} accounts as gauth-qr" in result.out
    assert f"left out {len(GOOGLE_LEFT_OUT)} accounts" in result.out
    for label in GOOGLE_LEFT_OUT:
        assert f"  {label}: " in result.out and label not in result.err
    assert "Example Shop (demo): alice: 7-digit codes cannot be stored" in result.out
    assert "to carry them: export it with --format reenroll-pdf" in result.out
    texts = [c.text for f in files for c in decode_bytes(f.read_bytes())]
    kept, _, _ = plan(demo_vault())
    assert Vault(tuple(_decoded_accounts(texts))) == Vault(tuple(map(_as_google_keeps, kept)))


def test_cli_gauth_folder_and_pdf(cli: Any, vault_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "codes"
    folder.mkdir()
    assert cli("export", vault_file, "--format", "gauth-qr", "-o", folder).code == 0
    assert (folder / "paper2fa-gauth-1.png").is_file()
    # a folder that does not exist yet is created, as split creates its own (issue 12)
    new = cli("export", vault_file, "--format", "gauth-qr", "-o", f"{tmp_path / 'gq'}/")
    assert new.code == 0, new.err
    assert stat.S_IMODE(os.stat(tmp_path / "gq").st_mode) == 0o700
    assert (tmp_path / "gq" / "paper2fa-gauth-1.png").is_file()
    pdf = tmp_path / "g.pdf"
    assert cli("export", vault_file, "--format", "gauth-qr", "-o", pdf).code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_cli_gauth_no_partial_output(cli: Any, vault_file: Path, tmp_path: Path) -> None:
    first = cli("export", vault_file, "--format", "gauth-qr", "-o", tmp_path / "g.png")
    assert first.code == 0
    (tmp_path / "g-1.png").unlink()
    again = cli("export", vault_file, "--format", "gauth-qr", "-o", tmp_path / "g.png")
    assert again.code == 8
    assert not (tmp_path / "g-1.png").exists()  # all parts or none
    bad = cli("export", vault_file, "--format", "gauth-qr", "-o", tmp_path / "g")
    assert bad.code == 2 and "FILE.pdf" in bad.err


@pytest.mark.parametrize("fmt, name", [("gauth-qr", "g.png"), ("gauth-qr", "g.pdf"),
                                       ("aegis", "a.json"), ("reenroll-pdf", "s.pdf")])
def test_cli_missing_output_folder_fails_before_anything(cli: Any, vault_file: Path,
                                                         tmp_path: Path, fmt: str,
                                                         name: str) -> None:
    result = cli("export", vault_file, "--format", fmt, "-o", tmp_path / "nope" / name)
    assert result.code == 8
    assert result.out == ""
    assert result.err.count("\n") <= 2 and "the output folder does not exist" in result.err
    assert not (tmp_path / "nope").exists()


def test_cli_every_format_says_what_it_wrote(cli: Any, tmp_path: Path) -> None:
    big = Account(issuer="Big", name="y", secret=b"0123456789", type="hotp", counter=2**32)
    slow = Account(issuer="Slow", name="z", secret=b"0123456788", period=3_000_000)
    fine = Account(issuer="Fine", name="x", secret=b"0123456787")
    src = tmp_path / "v.json"
    src.write_bytes(vault_to_json(Vault((big, slow, fine))))
    expected = {"otpauth": [], "aegis": ["Slow: z"], "2fas": ["Big: y"],
                "gauth-qr": ["Slow: z"], "reenroll-pdf": []}
    for fmt, left in expected.items():
        out = tmp_path / f"out-{fmt}.{'pdf' if fmt in ('gauth-qr', 'reenroll-pdf') else 'x'}"
        result = cli("export", src, "--format", fmt, "-o", out)
        assert result.code == 0, result.err
        first = result.out.splitlines()[0]
        if left:
            assert first.startswith(f"exported {3 - len(left)} of 3 accounts as {fmt}"), first
            assert all(f"  {label}: " in result.out for label in left)
        else:
            assert first.startswith(f"exported 3 accounts as {fmt}"), first
            assert "left out" not in result.out


def test_cli_gauth_nothing_google_can_hold(cli: Any, tmp_path: Path) -> None:
    steam = Account(issuer="Steam", name="me", secret=b"0123456789", type="steam")
    src = tmp_path / "steam.json"
    src.write_bytes(vault_to_json(Vault((steam,))))
    out = tmp_path / "g.pdf"
    result = cli("export", src, "--format", "gauth-qr", "-o", out)
    assert result.code == 4
    assert "no account" in result.err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]


def test_cli_reenroll(cli: Any, vault_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    result = cli("export", vault_file, "--format", "reenroll-pdf", "-o", out,
                 "--date", "2026-01-02", "--paper", "letter")
    assert result.code == 0, result.err
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    pdf, _ = render_reenroll(demo_vault(), replace(OPTIONS, paper="letter"))
    assert out.read_bytes() == pdf
    bad = cli("export", vault_file, "--format", "reenroll-pdf", "-o", tmp_path / "x.pdf",
              "--date", "tomorrow")
    assert bad.code == 2 and "--date" in bad.err
    assert not (tmp_path / "x.pdf").exists()


def test_cli_bad_input_leaves_nothing(cli: Any, tmp_path: Path) -> None:
    src = tmp_path / "junk.txt"
    src.write_text("this is not an export\n")
    out = tmp_path / "out.json"
    result = cli("export", src, "--format", "aegis", "-o", out)
    assert result.code == 4
    assert "paper2fa: error:" in result.err
    assert "--input-format" in result.err  # the export command's name for the input format
    assert "Traceback" not in result.err
    assert not out.exists()
    missing = cli("export", tmp_path / "nope.json", "--format", "aegis", "-o", out)
    assert missing.code == 3
    assert not out.exists()


def test_cli_input_format_and_tag(cli: Any, vault_file: Path, tmp_path: Path) -> None:
    uris = tmp_path / "uris.txt"
    assert cli("export", vault_file, "--format", "otpauth", "-o", uris).code == 0
    out = tmp_path / "aegis.json"
    forced = cli("export", uris, "--input-format", "otpauth", "--format", "aegis", "-o", out)
    assert forced.code == 0
    wrong = cli("export", uris, "--input-format", "aegis", "--format", "aegis",
                "-o", tmp_path / "w.json")
    assert wrong.code == 4
    tagged = tmp_path / "work.txt"
    assert cli("export", vault_file, "--format", "otpauth", "--tag", "work", "-o", tagged).code == 0
    work = [a for a in demo_vault().accounts if "work" in a.tags]
    assert reimport(tagged.read_bytes(), "work.txt") == Vault(tuple(map(_core, work)))
    none = cli("export", vault_file, "--format", "otpauth", "--tag", "nope", "-o",
               tmp_path / "none.txt")
    assert none.code == 4 and not (tmp_path / "none.txt").exists()


def test_cli_unknown_format(cli: Any, vault_file: Path, tmp_path: Path) -> None:
    result = cli("export", vault_file, "--format", "pdf", "-o", tmp_path / "x")
    assert result.code == 2
    assert "invalid choice" in result.err
