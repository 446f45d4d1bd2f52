"""Tests that kill mutants of toolkit/envelope.py the other tests let live.

See tests/fuzz/mutation.py and docs/mutation-testing.md.
"""

from __future__ import annotations
