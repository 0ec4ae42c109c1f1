"""`python -m app` runs Cutline like the `cutline` command."""

import sys

from app.cli import main

sys.exit(main())
