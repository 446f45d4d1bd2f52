"""`python -m toolkit` runs the paper2fa command line."""

from toolkit.cli import main

raise SystemExit(main())
