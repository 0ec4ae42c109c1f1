"""`python -m app` runs Cutline like the `cutline` command."""

import sys

from cutline.app.cli import main

sys.exit(main())
