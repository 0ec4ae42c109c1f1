"""`python -m cutline.app` runs Cutline like the `cutline` command."""

import sys

from cutline.app.cli.main import main

sys.exit(main())
