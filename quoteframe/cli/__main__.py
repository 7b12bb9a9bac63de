"""`python -m quoteframe.cli ARGS`: the same as `quoteframe ARGS`."""
import sys

from quoteframe.cli import main

sys.exit(main())
