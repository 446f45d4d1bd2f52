"""Print the console's log-in message (the image's /etc/motd) from paper2fa's own texts.

The hook 8600-paper2fa-greeting runs it at image build time with the installed paper2fa
(/opt/paper2fa/bin/python): for each language shipped, English first, the first screen's
`title`, `greeting` and `greeting_next` (templates/<lang>/menu.toml), wrapped for an 80-column
console, a blank line between languages. Nothing here is written by hand, so the greeting says
what the first screen says, in the same words.
"""

from __future__ import annotations

import sys
import textwrap

from toolkit.render.texts import DEFAULT_LANGUAGE, languages, load_texts

WIDTH = 78
"""Columns of the message: a text console has 80."""


def greeting() -> str:
    shipped = languages()
    order = [DEFAULT_LANGUAGE, *(code for code in shipped if code != DEFAULT_LANGUAGE)]
    blocks = []
    for code in order:
        texts = load_texts("menu", code)
        lines = textwrap.wrap(texts["title"], WIDTH)
        for paragraph in texts["greeting"]:
            lines += textwrap.wrap(paragraph, WIDTH)
        # greeting_next sets the command apart with two spaces: keep them
        lines += textwrap.wrap(texts["greeting_next"], WIDTH, replace_whitespace=False,
                               drop_whitespace=True)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n\n"


if __name__ == "__main__":
    sys.stdout.write(greeting())
