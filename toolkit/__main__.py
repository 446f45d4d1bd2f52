"""`python -m toolkit` runs the paper2fa command line (toolkit.entry takes Ctrl-C first)."""

from toolkit.entry import main

raise SystemExit(main())
