"""``python -m geo.export``: the ``export`` command on its own (see :mod:`geo.export.cli`)."""

import sys

from geo.export.cli import main

sys.exit(main())
