"""``python -m skw2v``: the same as the ``skw2v`` command."""

import sys

from ._cli import main

sys.exit(main())
