"""Nothing depends on the order of the inputs: the recovery state records what was read, and
grouping and choosing are pure functions of all of it (issue 18). The same scans, share QR
codes and typed words lines, fed in every order, give the same decision and the same reasons."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from toolkit import envelope, sharing
from toolkit import frames as F
from toolkit.model import Account, Vault
from toolkit.recovery import RecoveryState, add_lines, choose, left_out
from toolkit.recovery.sets import Fit, share_fit

TEST_KDF = envelope.KDF_PROFILES["test"]

Input = Callable[[RecoveryState], None]


def _split(seed: int, k: int = 2) -> sharing.SplitResult:
    vault = Vault((Account(issuer=f"Site {seed}", name="me", secret=bytes([seed]) * 20),))
    return sharing.make_split(vault, k, 3, (), "pyshamir", None, kdf=TEST_KDF)


def _frames(split: sharing.SplitResult, source: str) -> Input:
    texts = [f.text for f in F.encode_frames(split.sealed_bytes, "sealed",
                                             F.doc_id_for(split.sealed_bytes))]

    def feed(state: RecoveryState) -> None:
        for text in texts:
            state.add_qr_text(text, source)
    return feed


def _scanned(share: sharing.AnyShare, source: str) -> Input:
    def feed(state: RecoveryState) -> None:
        state.add_qr_text(share.qr_text(), source)
    return feed


def _typed(text: str, label: str) -> Input:
    def feed(state: RecoveryState) -> None:
        add_lines(state, [(label, text)])
    return feed


def _outcome(inputs: tuple[Input, ...]) -> tuple[object, ...]:
    state = RecoveryState()
    for feed in inputs:
        feed(state)
    decision = choose(state)
    return (decision.verdict, decision.chosen.title if decision.chosen else None,
            decision.why,
            tuple((b.title, tuple(sorted(b.usable)),
                   tuple(sorted((r.label, why) for r, why in b.rejected)))
                  for b in decision.backups),
            tuple((i.source, i.reason, i.other, i.partly) for i in left_out(state, decision)),
            tuple(sorted((label, type(e).__name__, e.message) for label, e in state.unusable)))


@pytest.fixture(scope="module")
def mixed() -> tuple[Input, ...]:
    """Backup A (2 of 3) restorable from its sealed vault, a typed share and a scanned one;
    backup B's sealed vault beside it (no shares: it cannot be completed, generation 1 like A);
    a share of A read twice, and a mistyped line."""
    a, b = _split(1), _split(2)
    words = a.shares[0].words()
    broken = " ".join([*words[:5], words[6], words[5], *words[7:]])
    return (_frames(a, "a.pdf page 1"), _frames(b, "b.pdf"),
            _typed(" ".join(words), "words.txt line 1"),
            _scanned(a.shares[1], "a.pdf page 2"), _scanned(a.shares[1], "a.pdf page 3"),
            _typed(broken, "words.txt line 2"))


def test_every_order_gives_the_same_decision_and_reasons(mixed: tuple[Input, ...]) -> None:
    outcomes = {_outcome(order) for order in itertools.permutations(mixed)}
    assert len(outcomes) == 1
    verdict, chosen, *_ = outcomes.pop()
    assert str(verdict) == "restore" and chosen is not None


def test_a_typed_share_read_before_its_sealed_vault_is_used(mixed: tuple[Input, ...]) -> None:
    """The case that was patched with retry_lines: typed words of A, then B's sealed vault,
    then A's (the camera reads it after the words file)."""
    a_frames, b_frames, typed, scanned, *_ = mixed
    for order in ((typed, b_frames, scanned, a_frames), (b_frames, typed, a_frames, scanned)):
        state = RecoveryState()
        for feed in order:
            feed(state)
        decision = choose(state)
        assert decision.chosen is not None
        assert sorted(decision.chosen.usable) == [1, 2] and not state.unusable


def test_the_typing_loop_feedback_is_a_function_of_the_state() -> None:
    a, b = _split(3), _split(4)
    state = RecoveryState()
    assert share_fit(state, a.shares[0]).verdict is Fit.NO_VAULT_YET
    _frames(a, "a.pdf")(state)
    assert share_fit(state, a.shares[0]).verdict is Fit.FITS
    fit = share_fit(state, b.shares[0])
    assert fit.verdict is Fit.REJECTED and fit.problem is not None
    assert fit.problem.kind is sharing.ShareProblemKind.OTHER_SET
    assert (fit.problem.share_set, fit.problem.vault_set) == (
        b.header.set_id_text, a.header.set_id_text)
    state.add_share(a.shares[0], "typed share 1")
    assert share_fit(state, a.shares[0]).verdict is Fit.READ_ALREADY
    _frames(b, "b.pdf")(state)
    fit = share_fit(state, _split(5).shares[0])
    assert fit.verdict is Fit.OTHER_BACKUP and fit.problem is not None
    assert fit.problem.kind is sharing.ShareProblemKind.NO_BACKUP
    assert share_fit(state, b.shares[1]).verdict is Fit.FITS


def test_no_decision_reads_a_message() -> None:
    """Outcomes are types: nothing in the restore branches on a message's text (an `if`, a
    comparison or a `startswith`/`in` test that reads `.message` or `str(...)` of an error)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "toolkit"
    files = [*sorted((root / "recovery").glob("*.py")), root / "cli" / "restore_cmds.py",
             root / "cli" / "camera_restore.py"]

    def reads_text(node: ast.AST) -> bool:
        return any((isinstance(n, ast.Attribute) and n.attr == "message")
                   or (isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                       and n.func.id == "str")
                   for n in ast.walk(node))

    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            tests: list[ast.AST] = []
            if isinstance(node, ast.If | ast.While | ast.IfExp | ast.Assert):
                tests.append(node.test)
            if isinstance(node, ast.comprehension):
                tests.extend(node.ifs)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("startswith", "endswith", "removeprefix")):
                tests.append(node.func.value)
            found += [f"{path.name}:{t.lineno}" for t in tests if reads_text(t)
                      and hasattr(t, "lineno")]
    assert not found, found
