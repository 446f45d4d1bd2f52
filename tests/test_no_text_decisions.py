"""No code in toolkit/ decides on an error's words, or glues a place into them.

Where an error came from is a field (`Paper2faError.source`, a `Source`: file, page, line,
label), set where the input is opened; what it is, is its class. So nothing may read an error's
message to recover a path, a label or a kind (`.message.startswith(`, `"..." in str(exc)`,
`.split(": ")` of a message, `removeprefix(` of one), and nothing may rebuild an error around a
glued place (`type(exc)(f"{path}: {exc.message}")`), nor glue one before an error's words
where it is made (`InputFileError(f"{path}: no such file")`: give `source=`). The scan reads
the AST of every module, so comments and strings never trip it; the allow-list is small and
says why for each entry.
"""

from __future__ import annotations

import ast

from toolkit_sources import ModuleScan, findings, is_error_class

from toolkit.errors import FormatError, ShareError, Source

TEXT_ATTRIBUTES = frozenset({"message", "located", "hint", "args"})
"""What holds an error's words (`args[0]` is the message too)."""

TEXT_METHODS = frozenset({"startswith", "endswith", "removeprefix", "removesuffix", "split",
                          "rsplit", "partition", "rpartition", "find", "rfind", "index",
                          "rindex", "count", "strip", "lstrip", "rstrip", "replace", "splitlines",
                          "lower", "upper", "casefold"})
"""String methods that, called on a message, read or cut its words."""

ALLOWED = {
    # shamir-mnemonic's MnemonicError has no fields: its text is all there is, and the words it
    # quotes (share words, secret) are cut out before anything is shown
    ("sharing.py", "_slip39_message"),
    # rewords a hint's option name (`--format` is the output format in `export`); it decides
    # nothing and reads no place, but the option's name should become a parameter of the hint
    ("cli/export_cmd.py", "cmd_export"),
}
"""(module, function) pairs allowed to read an exception's text, each with its reason."""


def _is_error_text(node: ast.AST, caught: set[str]) -> bool:
    """True for `x.message`, `x.located`, `x.args[...]` of anything, and `str(e)` / `repr(e)` /
    `f"{e}"` of a name bound by an `except ... as e`."""
    if isinstance(node, ast.Attribute) and node.attr in TEXT_ATTRIBUTES:
        return True
    if isinstance(node, ast.Subscript):
        return _is_error_text(node.value, caught)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in ("str", "repr") and len(node.args) == 1):
        arg = node.args[0]
        return isinstance(arg, ast.Name) and arg.id in caught
    if isinstance(node, ast.JoinedStr) and len(node.values) == 1:
        only = node.values[0]
        return (isinstance(only, ast.FormattedValue) and isinstance(only.value, ast.Name)
                and only.value.id in caught)
    return False


def _starts_with_a_place(words: ast.expr) -> bool:
    """f"{path}: ..." - a value then a colon: a place glued before the words."""
    if not isinstance(words, ast.JoinedStr) or len(words.values) < 2:
        return False
    first, second = words.values[0], words.values[1]
    return (isinstance(first, ast.FormattedValue) and isinstance(second, ast.Constant)
            and isinstance(second.value, str) and second.value.startswith(": "))


class _Finder(ModuleScan):
    def __init__(self, module: str) -> None:
        super().__init__(module, ALLOWED)
        self.caught: set[str] = set()

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name is None:
            self.generic_visit(node)
            return
        had = node.name in self.caught
        self.caught.add(node.name)
        self.generic_visit(node)
        if not had:
            self.caught.discard(node.name)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr in TEXT_METHODS
                and _is_error_text(func.value, self.caught)):
            self.flag(node, f"reads an error's words with .{func.attr}()")
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id == "re" and any(_is_error_text(a, self.caught)
                                                 for a in node.args)):
            self.flag(node, "matches an error's words with a regular expression")
        if (isinstance(func, ast.Call) and isinstance(func.func, ast.Name)
                and func.func.id == "type" and node.args
                and isinstance(node.args[0], ast.JoinedStr)):
            self.flag(node, "rebuilds an error around glued words (set its source instead)")
        elif is_error_class(func) and node.args and _starts_with_a_place(node.args[0]):
            self.flag(node, "glues a place before an error's words (give it as source=)")
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        sides = [node.left, *node.comparators]
        if any(_is_error_text(side, self.caught) for side in sides):
            self.flag(node, "compares an error's words")
        self.generic_visit(node)


def text_decisions(source: str, module: str) -> list[str]:
    """Every place in `source` that decides on, or cuts, an error's words."""
    return _Finder(module).scan(source)


def test_no_module_decides_on_an_error_message() -> None:
    found = findings(text_decisions)
    assert not found, "decisions on message text (use the error's class and source):\n" + (
        "\n".join(found))


def test_the_scan_catches_each_kind_of_text_decision() -> None:
    """The patterns the issue names (and their close cousins) are each caught; a string
    method on data that is not an error's words is not."""
    caught = {
        "if exc.message.startswith(label): pass": "startswith",
        "name = error.message.split(': ', 1)[-1]": "split",
        "text = exc.message.removeprefix('FreeOTP 2: ')": "removeprefix",
        "try:\n    f()\nexcept ValueError as exc:\n    ok = 'line' in str(exc)": "compares",
        "try:\n    f()\nexcept ValueError as e:\n    ok = str(e).startswith('x')": "startswith",
        "try:\n    f()\nexcept Exception as exc:\n    raise type(exc)(f'{p}: {exc.message}')":
            "glued",
        "try:\n    f()\nexcept Exception as exc:\n    m = re.match('(.*): ', exc.message)":
            "regular expression",
        "same = err.message == 'no such file'": "compares",
        "first = exc.args[0].partition(':')": "partition",
        "raise InputFileError(f'{path}: no such file')": "glues a place",
        "raise errors.FormatError(f'{APP}: the backup is damaged', hint='x')": "glues a place",
    }
    for source, what in caught.items():
        found = text_decisions(source, "example.py")
        assert len(found) == 1 and what in found[0], (source, found)
    innocent = [
        "ok = text.startswith('otpauth://')",
        "parts = line.split(': ', 1)",
        "try:\n    f()\nexcept ValueError:\n    ok = 'x' in name",
        "raise ShareError('not a share', source=Source(file=path))",
        "raise ShareError(f'share {number}: the checksum is wrong')",
        "raise AccountError(f'{count} accounts: too many')",  # not a place: words after it
        "def f(exc):\n    return str(exc).startswith('x')",  # not a caught name here
    ]
    for source in innocent:
        assert text_decisions(source, "example.py") == [], source


def test_the_source_is_a_field_shown_before_the_words() -> None:
    error = ShareError("word 5 is not a share word").opened_at(Source(file="words.txt", line=3))
    assert error.message == "word 5 is not a share word"
    assert error.source == Source(file="words.txt", line=3)
    assert str(error) == error.located == "words.txt line 3: word 5 is not a share word"
    assert isinstance(error, ShareError) and error.exit_code == ShareError.exit_code


def test_opening_keeps_what_the_error_knew_of_its_place() -> None:
    inner = FormatError("a typing mistake", hint="type it again", source=Source(line=7))
    outer = inner.opened_at(Source(file="fallback.txt"))
    assert outer.source == Source(file="fallback.txt", line=7)
    assert outer.hint == "type it again" and type(outer) is FormatError
    assert inner.source == Source(line=7)  # the original is left as it was
    relabelled = FormatError("not valid JSON", source=Source(label="input")).with_source(
        Source(label="Aegis"))
    assert relabelled.located == "Aegis: not valid JSON"


def test_a_hostile_file_name_is_shown_escaped_and_bounded() -> None:
    name = "a" * 5_000 + "\x1b[2J\n" + "b" * 5_000 + ".txt"
    shown = str(Source(file=name, page=2))
    assert "\x1b" not in shown and "\n" not in shown and len(shown) < 300
    assert shown.endswith("b.txt page 2")


def test_a_source_as_json_fields() -> None:
    assert Source(file="scan.pdf", page=2).as_json() == {
        "file": "scan.pdf", "page": 2, "line": None, "label": None}
