import sys

from geo.cli import main

try:
    sys.exit(main())
except BrokenPipeError:  # output piped into `head` and friends
    sys.exit(0)
