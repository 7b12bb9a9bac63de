"""Run the service with the stand-in classifier, for tests that need a real server process.

    python tests/serve_fake.py PORT FEEDBACK_DB
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from service.app import create_app  # noqa: E402
from service.server import run  # noqa: E402
from service.settings import Settings  # noqa: E402
from service_helpers import fake_loader  # noqa: E402

if __name__ == "__main__":
    port, db = int(sys.argv[1]), sys.argv[2]
    settings = Settings(feedback_db=db, port=port, log_level="warning")
    run(create_app(settings, classifier_loader=fake_loader()), settings)
