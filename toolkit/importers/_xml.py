"""Android shared_prefs and other XML files from a rooted phone, parsed safely.

A DOCTYPE (entity expansion, external entities) is refused before parsing; every parser failure
(malformed XML, an unknown or multi-byte encoding declaration) is a FormatError.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from toolkit.errors import FormatError, Source


def parse(data: bytes, source: str) -> ET.Element:
    """The root element of `data`; FormatError naming `source` when it cannot be read."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise FormatError("XML with a DOCTYPE is not an Android preferences file",
                          source=Source(label=source))
    try:
        return ET.fromstring(data)  # noqa: S314 - DOCTYPE/ENTITY refused above
    except (ET.ParseError, LookupError, ValueError):
        raise FormatError("the XML is damaged", source=Source(label=source)) from None
