"""Run the service on a model folder, for tests that need a real server process.

    python -m tests.serve_tiny PORT FEEDBACK_DB MODEL_DIR   (from the checkout's root)
"""
from __future__ import annotations

import sys

from service.app import create_app
from service.server import run
from service.settings import Settings

if __name__ == "__main__":
    port, db, model = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    settings = Settings(feedback_db=db, port=port, log_level="warning", model=model)
    run(create_app(settings), settings)
