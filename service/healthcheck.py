"""Exit 0 when the local service is ready, 1 otherwise (the Docker HEALTHCHECK).

    python -m service.healthcheck        # asks http://127.0.0.1:$QUOTEFRAME_PORT/readyz
"""
from __future__ import annotations

import sys
import urllib.error
import urllib.request

from service.settings import Settings


def main() -> int:
    url = f"http://127.0.0.1:{Settings().port}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=4) as answer:
            return 0 if answer.status == 200 else 1
    except (urllib.error.URLError, OSError) as err:
        print(f"not ready: {url}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
