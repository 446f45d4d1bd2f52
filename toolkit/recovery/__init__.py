"""Recovery from paper: what the CLI and the tests use to rebuild a vault from scans, shares,
typed words and typed secrets (`typed`: secrets typed by hand from a home-safe page)."""
