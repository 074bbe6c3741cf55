"""``python -m newsstand.cli``: the ``newsstand`` program."""

import sys

from newsstand.cli import run

sys.exit(run())
