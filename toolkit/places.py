"""Where a person's files are on this machine: USB sticks and other mounted media, the home
folder, and a free name for a new file (the first screen never overwrites anything)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

MEDIA_ROOTS = ("/media", "/run/media", "/mnt")
"""Where desktops and the live image mount USB sticks and cards (one level of user folders)."""

MAX_FOLDERS = 20
"""The first screen lists at most this many folders to choose from."""


def mounted_folders(roots: Iterable[str | os.PathLike[str]] = MEDIA_ROOTS) -> list[Path]:
    """The top folders of mounted media: /media/USER/STICK, /mnt/STICK, ... (sorted)."""
    found: list[Path] = []
    for root in map(Path, roots):
        try:
            children = sorted(p for p in root.iterdir() if p.is_dir())
        except OSError:
            continue
        for child in children:
            try:
                inner = sorted(p for p in child.iterdir() if p.is_dir())
            except OSError:
                inner = []
            # /media/USER/STICK and /run/media/USER/STICK have one level more than /mnt/STICK
            if inner and root.name == "media" and not os.path.ismount(child):
                found.extend(inner)
            else:
                found.append(child)
    return found[:MAX_FOLDERS]


def free_path(folder: str | os.PathLike[str], name: str) -> Path:
    """`folder/name`, or `folder/stem-2.ext`, `-3`... the first that does not exist."""
    base = Path(folder) / name
    if not base.exists():
        return base
    stem, suffix = base.stem, base.suffix
    number = 2
    while (candidate := base.with_name(f"{stem}-{number}{suffix}")).exists():
        number += 1
    return candidate
