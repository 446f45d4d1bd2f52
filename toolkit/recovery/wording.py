"""The words of a restore: `Need` and `LeftOut` values rendered in the reader's language from
templates/<lang>/restore_messages.toml, the how-to-do-it phrased for the way the sheets are
read (`Medium`: a scanner, photos, the camera, typed words). Nothing here decides anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from toolkit.errors import VerifyError
from toolkit.recovery.needs import (
    BackupName,
    Medium,
    Need,
    NeedKind,
    PageToRead,
    ReadingAgain,
    ReadingNotice,
    SkipReason,
)
from toolkit.texts import DEFAULT_LANGUAGE, fill, load_texts

if TYPE_CHECKING:
    from toolkit.recovery.damage import Damage
    from toolkit.recovery.opening import Restored, RestoreNote
    from toolkit.recovery.report import BackupFacts, LeftOut
    from toolkit.recovery.sets import Backup
    from toolkit.recovery.state import RecoveryState
    from toolkit.recovery.verify import Difference, Verification

TEXTS = "restore_messages"


def _texts(lang: str) -> dict[str, Any]:
    return load_texts(TEXTS, lang)


def name_text(name: BackupName, lang: str = DEFAULT_LANGUAGE) -> str:
    """A backup's name in words: "set P5RYN2WS generation 2", "home-safe backup F00D-..."."""
    return fill(_texts(lang)["title"][str(name.kind).replace("-", "_")], set=name.set_id,
                generation=name.generation, fingerprint=name.fingerprint,
                document=name.document, identifier=name.identifier)


def _title(need: Need, lang: str) -> str:
    return name_text(need.name, lang) if need.name is not None else need.backup


def join_numbers(numbers: Sequence[int], lang: str = DEFAULT_LANGUAGE) -> str:
    """1 -> "1"; 1, 4 -> "1 and 4"; 1, 2, 4 -> "1, 2 and 4" (in `lang`)."""
    shown = [str(n) for n in numbers]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + f" {_texts(lang)['need']['and']} " + shown[-1]


def how(key: str, medium: Medium, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """What to do, for the way the sheets are read: a key of the [how.<medium>] table."""
    return fill(_texts(lang)["how"][str(medium)][key], **values)


def _page_text(page: PageToRead, medium: Medium, lang: str) -> str:
    if page.page is not None:
        return how("page", medium, lang, page=page.page)
    if page.file is not None:
        return how("file", medium, lang, file=page.file)
    if page.again:
        return how("again", medium, lang, numbers=join_numbers(page.frames, lang),
                   count=len(page.frames))
    return how("frame", medium, lang, frame=page.frames[0] if page.frames else "?")


def damage_text(damage: Damage, lang: str = DEFAULT_LANGUAGE) -> str:
    """Why something read is damaged, in words (a key of [damage] per `DamageKind`)."""
    from toolkit.recovery.damage import DamageKind

    texts = _texts(lang)["damage"]
    key = str(damage.kind).replace("-", "_")
    if damage.kind is DamageKind.FRAMES_DISAGREE and not damage.frames:
        key = "frames_other"
    return fill(texts[key], count=damage.count, total=damage.total, more=damage.more,
                block=damage.block, numbers=join_numbers(damage.frames, lang),
                frames=len(damage.frames))


def damage_hint(damage: Damage, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """What to do about a sealed vault that did not open (None: the error's own hint)."""
    hint = _texts(lang)["damage"].get(str(damage.kind).replace("-", "_") + "_hint")
    return str(hint) if hint is not None else None


def need_text(need: Need, medium: Medium = Medium.SCANNER,
              lang: str = DEFAULT_LANGUAGE) -> str:
    """One need in words."""
    texts = _texts(lang)["need"]
    if need.kind is NeedKind.SHARES:
        if need.sheets:
            have = fill(texts["have_sheets"], numbers=join_numbers(need.sheets, lang),
                        count=len(need.sheets))
        elif need.have:
            have = fill(texts["have_count"], count=need.have)
        else:
            have = texts["have_none"]
        key = "shares_of_set" if need.set_id else "shares"
        return fill(texts[key], more=need.more, have=have, set=need.set_id,
                    needed=need.needed)
    if need.kind is NeedKind.NO_FRAMES:
        return fill(texts["no_frames"], how=how("no_frames", medium, lang))
    if need.kind is NeedKind.DAMAGED:
        problem = damage_text(need.damage, lang) if need.damage is not None else ""
        return fill(texts["damaged"], title=_title(need, lang), problem=problem,
                    how=how("damaged", medium, lang))
    if need.kind is NeedKind.FRAMES:
        from toolkit import frames as F

        numbers = list(need.frames)
        shown = (join_numbers(numbers, lang) if len(numbers) <= 12
                 else F.number_ranges(numbers))
        separator = _texts(lang)["summary"]["separator"]
        pages = separator.join(dict.fromkeys(_page_text(p, medium, lang) for p in need.pages))
        return fill(texts["frames"], numbers=shown, total=need.total, more=need.more,
                    how=pages, count=len(numbers))
    if need.kind is NeedKind.PASSPHRASE:
        return fill(texts["passphrase"], title=_title(need, lang))
    return str(texts["choice"])


def needs_text(needs: Sequence[Need], medium: Medium = Medium.SCANNER,
               lang: str = DEFAULT_LANGUAGE) -> str:
    separator: str = _texts(lang)["summary"]["separator"]
    return separator.join(need_text(n, medium, lang) for n in needs)


def _facts(facts: BackupFacts, lang: str) -> str:
    title = name_text(facts.name, lang)
    if facts.created is None:
        return title
    return fill(_texts(lang)["left_out"]["facts"], title=title, date=facts.created.isoformat())


def left_out_text(item: LeftOut, lang: str = DEFAULT_LANGUAGE) -> str:
    """Why one input was left out, in words."""
    from toolkit.recovery.report import LeftOutReason as R

    texts = _texts(lang)["left_out"]
    backups = ", ".join(_facts(b, lang) for b in item.backups) or item.other
    restored = ", ".join(_facts(b, lang) for b in item.restored)
    key = {R.DUPLICATE: "duplicate", R.SHARE_READ: "share_read",
           R.READ_ALREADY: "read_already", R.ANOTHER_BACKUP: "another",
           R.EARLIER_BACKUP: "earlier", R.DAMAGED: "damaged",
           R.NOT_PAPER2FA: "not_paper2fa", R.SHARE_PROBLEM: "share"}[item.reason]
    if item.partly and item.reason in (R.ANOTHER_BACKUP, R.EARLIER_BACKUP):
        key += "_partly"
        backups = ", ".join(dict.fromkeys(name_text(b.name, lang) for b in item.backups))
        backups = backups or item.other
    problem = item.problem.text(lang) if item.problem is not None else ""
    return fill(texts[key], source=item.source, other=item.other, backups=backups,
                restored=restored, detail=item.detail, problem=problem)


def reading_text(notice: ReadingNotice, lang: str = DEFAULT_LANGUAGE) -> str:
    """What happened while the inputs were read (a file skipped, pages read again), in words."""
    texts = _texts(lang)["reading"]
    if isinstance(notice, ReadingAgain):
        pages = fill(texts["pages"], count=notice.pages)
        if notice.unreadable:
            return fill(texts["again_unreadable"], count=notice.unreadable, pages=pages)
        return fill(texts["again_missing"], pages=pages)
    if notice.reason is SkipReason.UNREADABLE and notice.error is not None:
        return fill(texts["unreadable"], located=notice.error.located)
    why = fill(texts[str(notice.reason).replace("-", "_")],
               detail=notice.error.located if notice.error is not None else "")
    return fill(texts["skipped"], path=notice.path, why=why)


def note_text(note: RestoreNote, lang: str = DEFAULT_LANGUAGE) -> str:
    """What a finished restore tells beside the vault, in words."""
    labels = ", ".join(note.labels)
    return fill(_texts(lang)["restored"][str(note.kind).replace("-", "_")], count=note.count,
                labels=labels, label=labels)


def summary_text(backup: Backup, lang: str = DEFAULT_LANGUAGE) -> str:
    """One line: what this backup is, what was read of it and what is missing."""
    from toolkit.recovery.sets import BackupKind

    t = _texts(lang)["summary"]
    facts = []
    if backup.created is not None:
        facts.append(fill(t["made"], date=backup.created.isoformat()))
    if backup.fingerprint is not None and backup.kind is not BackupKind.HOME_SAFE:
        facts.append(fill(t["fingerprint"], fingerprint=backup.fingerprint))
    title = name_text(backup.name, lang)
    head = fill(t["facts"], title=title, facts=", ".join(facts)) if facts else title
    parts = []
    if backup.kind is BackupKind.SPLIT:
        have, k = backup.distinct_shares, backup.threshold
        doc = backup.document
        if doc is not None and doc.header is not None and backup.usable:
            shares = fill(t["sheets"], numbers=join_numbers(sorted(backup.usable), lang),
                          needed=k, count=have)
        elif have:
            shares = fill(t["count"], count=have, needed=k)
        else:
            shares = fill(t["none"], needed=k)
        parts.append(fill(t["more"], shares=shares, more=k - have) if have < k else shares)
    doc = backup.document
    if doc is None:
        parts.append(t["no_frames"])
    elif doc.damage is not None:
        parts.append(fill(t["damaged"], problem=damage_text(doc.damage, lang)))
    elif doc.missing is None:
        parts.append(t["from_file"])
    else:
        m = doc.missing
        if m.have == m.total:
            parts.append(fill(t["all_frames"], total=m.total))
        elif doc.payload is not None:
            parts.append(fill(t["enough"], have=m.have, total=m.total))
        else:
            parts.append(fill(t["frames_more"], have=m.have, total=m.total, more=m.need_more))
    if backup.kind is BackupKind.PASSPHRASE:
        parts.append(t["passphrase"])
    return fill(t["line"], head=head, parts=t["separator"].join(parts))


def nothing_text(state: RecoveryState, medium: Medium = Medium.SCANNER,
                 lang: str = DEFAULT_LANGUAGE) -> str:
    """Why nothing usable was read."""
    texts = _texts(lang)["need"]
    if state.frames.rejected.get("unknown-version"):
        return str(texts["unknown_version"])
    said = how("nothing_read", medium, lang)
    if state.foreign:
        said += f" ({fill(texts['ignored'], count=state.foreign)})"
    return said


def difference_text(difference: Difference, lang: str = DEFAULT_LANGUAGE) -> str:
    """One difference `paper2fa verify` found, in words: labels and field names, no secret."""
    from toolkit.recovery.verify import DifferenceKind

    texts = _texts(lang)["verify"]
    if difference.kind is DifferenceKind.LEFT_OUT:
        assert difference.left_out is not None
        return left_out_text(difference.left_out, lang)
    fields = ", ".join(str(texts["field"].get(f, f.replace("_", " ")))
                       for f in difference.fields)
    shown = ", ".join(difference.labels)
    if difference.count > len(difference.labels):
        more = fill(_texts(lang)["left_out"]["more"], count=difference.count - len(
            difference.labels))
        shown += f" {more}"
    return fill(texts[str(difference.kind).replace("-", "_")], label=difference.label,
                fields=fields, fields_count=len(difference.fields), count=difference.count,
                total=difference.total, labels=shown)


def _restored_how(restored: Restored, lang: str) -> str | None:
    texts = _texts(lang)["verify"]
    if restored.kind == "shares":
        return fill(texts["how_shares"], sheets=", ".join(map(str, restored.sheets)),
                    set=restored.set_id)
    if restored.kind in ("passphrase", "accounts"):
        return str(texts[f"how_{restored.kind}"])
    return None


def verify_lines(result: Verification, against: str, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """What `paper2fa verify` prints when the paper restores exactly to the source."""
    texts = _texts(lang)["verify"]
    restored = result.restored
    line = fill(texts["identical"], against=against, count=len(restored.vault))
    how_text = _restored_how(restored, lang)
    if how_text is not None:
        line = fill(texts["with_how"], line=line, how=how_text)
    lines = [line, fill(texts["fingerprint"], fingerprint=restored.fingerprint)]
    if result.codes_printed:
        lines.append(fill(texts["codes_checked"], checked=result.codes_checked,
                          printed=result.codes_printed))
    return lines


def verify_refusal(count: int, against: str, lang: str = DEFAULT_LANGUAGE) -> VerifyError:
    """The error of a verify that found `count` differences, in `lang`."""
    texts = _texts(lang)["verify"]
    return VerifyError(fill(texts["differ"], against=against, count=count),
                       str(texts["differ_hint"]))


def difference_line(difference: Difference, lang: str = DEFAULT_LANGUAGE) -> str:
    """One difference as verify prints it ("difference: ...")."""
    return fill(_texts(lang)["verify"]["difference"],
                difference=difference_text(difference, lang))


def reading_notes(state: RecoveryState, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """What went wrong while reading (`state.problems`), in words: each damaged or rejected
    code, and the foreign ones one by one up to FOREIGN_KEPT, then counted."""
    from toolkit.recovery.state import FOREIGN_KEPT, CodeTrouble

    texts = _texts(lang)["notes"]
    out: list[str] = []
    for problem in state.problems:
        at = f" ({problem.source})" if problem.source else ""
        if problem.trouble is CodeTrouble.FOREIGN:
            out.append(fill(texts["foreign"], at=at))
            continue
        detail = (damage_text(problem.damage, lang) if problem.damage is not None
                  else problem.detail)
        out.append(fill(texts[str(problem.trouble).replace("-", "_")], at=at, detail=detail))
    if state.foreign > FOREIGN_KEPT:
        out.append(fill(texts["foreign_total"], count=state.foreign))
    return out
