"""Run the service on a model folder, for tests that need a real server process.

    python tests/serve_tiny.py PORT FEEDBACK_DB MODEL_DIR
"""
from __future__ import annotations

import sys

import uvicorn

from service.app import create_app
from service.settings import Settings

if __name__ == "__main__":
    port, db, model = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    app = create_app(Settings(feedback_db=db, model=model))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
