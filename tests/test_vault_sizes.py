"""Vaults of sampled sizes print, split and restore exactly, end to end.

Sampled, not swept: tests/test_qr_shapes.py shows (docstring) that every frame a document of any
size can have is one of 2241 (chunk size, padding) shapes, and encodes and reads back each one;
the sizes here confirm it on whole sheets. Each 590-account vault is the benchmark vault
(tests/benchmarks/paper.py: 160-bit secrets, notes, recovery codes) with one long note (some
11-13 kB of words), its length chosen so that the last data frame is a shape python-qrcode 8.2
crashed on ("glog(0)": a chunk of 367 bytes ending in 77-80 bytes of zero padding): one for the
home-safe print, one for the split.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from benchmarks.paper import vault_of

from toolkit import envelope, frames
from toolkit.model import Account, Vault, vault_to_paper
from toolkit.recovery import RecoveryState, choose, finish
from toolkit.render.home_safe import render_home_safe
from toolkit.render.layout import PAPERS
from toolkit.render.split import render_split
from toolkit.sharing import make_split

DATE = datetime(2026, 1, 1, tzinfo=UTC)
KDF = envelope.KDF_PROFILES["test"]


def with_long_note(count: int, note_words: int) -> Vault:
    """The benchmark vault of `count` accounts, its first account's note `note_words` long."""
    accounts = list(vault_of(count).accounts)
    first = accounts[0]
    note = " ".join(f"w{j * 7919 % 10007}" for j in range(note_words))
    accounts[0] = Account(issuer=first.issuer, name=first.name, secret=first.secret,
                          recovery_codes=first.recovery_codes, notes=note)
    return Vault(tuple(accounts))


def last_frame_shape(payload_length: int) -> tuple[int, int]:
    """(chunk size, zero padding of the last data chunk), as toolkit.frames cuts a payload."""
    container = payload_length + frames.HASH_BYTES
    data_frames = math.ceil(container / frames.MAX_CHUNK_BYTES)
    size = math.ceil(container / data_frames)
    return size, data_frames * size - container


def restored(texts: list[str]) -> Vault:
    state = RecoveryState()
    for text in texts:
        state.add_qr_text(text, "sheet")
    return finish(state, choose(state)).vault


@pytest.mark.slow
@pytest.mark.parametrize("vault", [vault_of(1), with_long_note(590, 1845)],
                         ids=["1 account", "590 accounts"])
def test_print_restores_exactly(vault: Vault) -> None:
    if len(vault) == 590:  # the frame that crashed python-qrcode 8.2
        size, pad = last_frame_shape(len(vault_to_paper(vault)))
        assert size == 367 and pad >= 73
    sheet = render_home_safe(vault, date=DATE, generation=1, paper=PAPERS["a4"])
    # render_home_safe read every code back from the PDF (SelfCheckError otherwise)
    assert restored(sheet.qr_texts) == vault


@pytest.mark.slow
@pytest.mark.parametrize("vault", [vault_of(1), with_long_note(590, 2214)],
                         ids=["1 account", "590 accounts"])
def test_split_restores_exactly(vault: Vault) -> None:
    split = make_split(vault, 3, 5, ["A", "B", "C", "D", "E"], now=DATE, kdf=KDF)
    if len(vault) == 590:  # the frame that crashed python-qrcode 8.2
        size, pad = last_frame_shape(len(split.sealed_bytes))
        assert size == 367 and pad >= 73
    sheets = render_split(split, date=DATE, paper=PAPERS["a4"])  # self-checked
    holders = [sheet for name, sheet in sorted(sheets.items()) if name.startswith("share-")]
    assert len(holders) == 5
    texts = [text for sheet in holders[1:4] for text in sheet.qr_texts]
    assert restored(texts) == vault
