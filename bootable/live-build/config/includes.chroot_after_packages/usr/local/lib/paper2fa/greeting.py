"""Print the console's log-in message (the image's /etc/motd) from paper2fa's own texts.

The hook 8600-paper2fa-greeting runs it at image build time with the installed paper2fa
(/opt/paper2fa/bin/python). It must fit on one 80×25 console with the log-in lines around it
(MAX_LINES): English in full, the first screen's `title`, `greeting_live`, `greeting` and
`greeting_next` (templates/<lang>/menu.toml); then every other language shipped in two short
paragraphs, `greeting_live` and `greeting_next`, since the first screen asks the language first
and greets again in it. Nothing here is written by hand, so the greeting says what the first
screen says, in the same words. The image is the paper2fa stick's live system, offline: the
live greeting is the true one there.
"""

from __future__ import annotations

import sys
import textwrap

from toolkit.texts import DEFAULT_LANGUAGE, languages, load_texts

WIDTH = 78
"""Columns of the message: a text console has 80."""

MAX_LINES = 19
"""Lines of the message: a console has 25, and the log-in shows about six around it (the
issue line, the log-in and password prompts, the last log-in, the shell's prompt)."""


def _wrap(text: str) -> list[str]:
    # greeting_next sets the command apart with two spaces: keep them
    return textwrap.wrap(text, WIDTH, replace_whitespace=False, drop_whitespace=True)


def greeting() -> str:
    shipped = languages()
    english = load_texts("menu", DEFAULT_LANGUAGE)
    lines = _wrap(english["title"]) + _wrap(english["greeting_live"])
    for paragraph in english["greeting"]:
        lines += _wrap(paragraph)
    lines += _wrap(english["greeting_next"])
    blocks = ["\n".join(lines)]
    for code in shipped:
        if code != DEFAULT_LANGUAGE:
            texts = load_texts("menu", code)
            blocks.append("\n".join(_wrap(texts["greeting_live"]) +
                                    _wrap(texts["greeting_next"])))
    return "\n\n".join(blocks) + "\n"


if __name__ == "__main__":
    sys.stdout.write(greeting())
