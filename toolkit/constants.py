"""Magic strings, format versions and limits, each with the reason it has its value."""

from __future__ import annotations

from typing import Final

VAULT_FORMAT: Final = "paper2fa-vault"
"""The `format` member of the canonical vault JSON (docs/FORMAT.md, "Vault JSON")."""

VAULT_VERSION: Final = 1
"""Version of the canonical vault JSON; readers refuse any other."""

ALGORITHMS: Final = ("SHA1", "SHA256", "SHA512")
"""HMAC hash functions an account may use: the three of RFC 6238 that every app knows."""

OTP_TYPES: Final = ("totp", "hotp", "steam")
"""Kinds of account: time-based, counter-based, and Steam Guard (5 characters, 30 s)."""

MIN_DIGITS: Final = 1
MAX_DIGITS: Final = 10
"""Digit counts accepted: 10 is the most a 31-bit truncated HMAC can fill; apps allow 4-10."""

STEAM_DIGITS: Final = 5
"""Steam Guard codes are 5 characters from `STEAM_ALPHABET`."""

STEAM_ALPHABET: Final = "23456789BCDFGHJKMNPQRTVWXY"
"""The 26 characters Steam Guard codes are written in."""

DEFAULT_PERIOD: Final = 30
DEFAULT_DIGITS: Final = 6
DEFAULT_ALGORITHM: Final = "SHA1"
"""Key URI Format defaults; apps that ignore parameters assume these."""

MAX_PERIOD: Final = 86400 * 366
"""Longest TOTP period accepted (a year): anything longer is a broken entry."""

MAX_COUNTER: Final = 2**63 - 1
"""HOTP counters are 8-byte big-endian integers (RFC 4226); kept signed-safe for JSON readers."""

MAX_SECRET_BYTES: Final = 1024
"""Longest secret accepted; real ones are 10-64 bytes."""

MAX_INPUT_BYTES: Final = 64 * 1024 * 1024
"""Largest input file read at all: exports are kilobytes, scans megabytes."""

MAX_DECOMPRESSED_BYTES: Final = 64 * 1024 * 1024
"""Largest size any compressed input may expand to (zip, deflate) before it is refused."""

FINGERPRINT_GROUPS: Final = 4
FINGERPRINT_GROUP_LEN: Final = 4
"""A vault fingerprint is 16 base32 characters (80 bits of SHA-256) in 4 groups of 4."""

MAX_IMPORT_ENTRIES: Final = 10_000
"""Most entries (accounts, tokens, lines holding a URI, rows) one import file may hold. Real
exports hold tens to a few hundred; a 2,000-account vault is already far beyond real use. An
input over this is refused at once (a clear FormatError) instead of parsing millions of
entries (a 183 KB zip can expand to 60 MB of URIs)."""

MAX_LISTED_NOTES: Final = 5
"""Notes of one kind an import shows one by one (skipped entries, merged or shared accounts);
the rest are counted in one summary line, so a hostile file cannot print millions of lines."""

MAX_JSON_DEPTH: Final = 32
"""Deepest nesting of arrays and objects accepted in any JSON input (exports, vaults). Real
exports nest 3 to 6 levels; deeper JSON is refused before Python's recursion limit is met."""

SEALED_MAGIC: Final = b"paper2fa-sealed"
"""First bytes of a sealed vault (`toolkit.envelope.MAGIC`): importers and vault loaders
recognise paper2fa's own sealed files by it before any app format is tried."""

MAX_UNIX_TIME: Final = 253_402_300_799
"""Latest time `--at` accepts: 9999-12-31 23:59:59 UTC, the last second a date can show."""

MAX_JSON_VALUES: Final = 1_000_000
"""Most values (objects, arrays and their members) a JSON input may hold, counted before it is
parsed (`toolkit.json_input`). 10,000 accounts of about 40 values each are 400,000, a Bitwarden
export of 40,000 items (passwords, most of them) about a million. A million values parse in
about 1.3 s and 250 MiB here; an object of a million keys took 13.4 s through every sniffer
and a 45 MB Aegis export of 400,000 entries 1,071 MiB (issue 21) with the old limit of two
million and the old way of counting."""

MAX_SECRET_FILE_BYTES: Final = 64 * 1024
"""Largest password or passphrase file read: a passphrase is a line; more is the wrong file."""

SECRET_FILE_WAIT_SECONDS: Final = 120.0
"""How long a secret given through a pipe (`--password-file /dev/stdin`, `<(pass show x)`) may
take to arrive in all: time to type a passphrase into the program feeding the pipe, yet a FIFO
that never gets a writer does not hang a script forever."""

# --- scans and photos: bounds on the work of reading images (docs/restore.md, "Limits") ---

MAX_PAGE_PIXELS: Final = 25_000_000
"""A page is decoded with at most this many pixels; larger pages and photos are scaled down,
never refused. An A4 page at 500 DPI is 24.2 megapixels (at 300 DPI 8.7): a 600 DPI scan
loses nothing its QR codes need, and a 48 to 200 megapixel phone photo of a sheet still reads
(measured by tests/benchmarks/photos.py)."""

MAX_IMAGE_PIXELS: Final = 260_000_000
"""Largest image decoded at all, before scaling down: a 200-megapixel phone photo is
16320x12240 (199.8 megapixels). JPEG photos are decoded directly at 1/2 to 1/8 of their size."""

MAX_DECODED_IMAGE_BYTES: Final = 800 * 1024 * 1024
"""Largest image held in memory while it is decoded, for formats that cannot be decoded at a
reduced size (PNG, TIFF, HEIC): Pillow keeps a colour pixel in 4 bytes, so a 200-megapixel
colour PNG takes 800 MB (763 MiB); a HEIC photo also needs the decoder's 3-byte copy, so up to
about 120 megapixels is read (an iPhone's largest is 48). Within 1 GiB with paper2fa itself."""

MAX_PAGES_PER_FILE: Final = 2_000
"""Most pages read from one PDF or frames from one TIFF: a 2,000-account home-safe backup has
512 pages. A file with more is refused before any page is rendered."""

MAX_OVERSIZE_PIXELS_PER_FILE: Final = 500_000_000
"""Most pixels the pages of one image file (TIFF frames, HEIC images) may hold beyond
`MAX_PAGE_PIXELS` each, added up over its pages and checked before any is decoded: pixels
decoded only to be scaled down cost about 1.3 s per 100 million, whatever the page holds.
One page is at most 235 million over (`MAX_IMAGE_PIXELS`), so a single photo is never refused;
a TIFF of 300 DPI pages holds none, of 51 A4 pages at 600 DPI 500 million; 12 frames of
144 megapixels took 19.2 s before this limit (issue 21) and are refused at once."""

MAX_PDF_CHILD_BYTES: Final = 640 * 1024 * 1024
"""Address space the child process that runs pdfium (`scan.IsolatedPdf`) may add to what it
maps when it starts. Rendering a 25-megapixel page from a 600 DPI colour scan needs about
250 MiB; a content stream inflating to 1 GiB took 2.1 GiB before (issue 21) and now ends the
child. With paper2fa itself (about 150 MiB) the whole stays under 1 GiB."""

MAX_PDF_PAGE_CPU_SECONDS: Final = 8
"""CPU time the pdfium child may spend on one request (opening the PDF, looking at a page,
rendering it): a 600 DPI page renders in under a second; 16 MiB of drawing operators in a
33 KB PDF took 9 s."""

MAX_PAGES_PER_RUN: Final = 5_000
"""Most pages one command reads over all its files (scans.WorkBudget): about ten times the
pages of a 2,000-account backup (512 home-safe pages, 127 for a 3-of-5 split)."""

MAX_PIXELS_PER_RUN: Final = 40_000_000_000
"""Most pixels one command decodes over all its files (scans.WorkBudget): 4,600 A4 pages at
300 DPI, or the 512 pages of a 2,000-account home-safe backup twice over at 500 DPI."""
