"""`python -m quoteframe ARGS`: the same as `quoteframe ARGS`."""
import sys

from quoteframe.cli import main

if __name__ == "__main__":
    sys.exit(main())
