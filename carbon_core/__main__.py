"""``python -m carbon_core``: see :mod:`carbon_core.cli`."""

import sys

from carbon_core.cli import main

sys.exit(main())
