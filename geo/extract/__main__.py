"""``python -m geo.extract``: the extraction commands without the main CLI."""

import sys

from geo.extract.cli import main

sys.exit(main())
