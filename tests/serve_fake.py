"""Run the service with the stand-in classifier, for tests that need a real server process.

    python tests/serve_fake.py PORT FEEDBACK_DB
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import uvicorn  # noqa: E402

from service.app import create_app  # noqa: E402
from service.settings import Settings  # noqa: E402
from service_helpers import fake_loader  # noqa: E402

if __name__ == "__main__":
    port, db = int(sys.argv[1]), sys.argv[2]
    app = create_app(Settings(feedback_db=db), classifier_loader=fake_loader())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
