"""The Dockerfile: lints clean with hadolint and keeps the promised shape.

The image itself is built with buildah and run in tests/test_build_image.py
(bench/build_image.sh). Here the HEALTHCHECK's command is run for real
against a live server.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from service.app import create_app
from service.settings import Settings
from quoteframe.analyzer import load_analyzer
from tests.service_helpers import LiveServer

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text("utf-8"))
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_multi_stage_non_root_with_healthcheck_and_serve_entrypoint():
    steps = instructions()
    stages = [arg for op, arg in steps if op == "FROM"]
    assert len(stages) >= 3 and stages[-1].endswith("AS runtime")
    runtime = steps[max(i for i, (op, _) in enumerate(steps) if op == "FROM"):]
    assert ("ENTRYPOINT", '["quoteframe", "serve"]') in runtime
    user = next(arg for op, arg in runtime if op == "USER")
    assert not user.startswith(("root", "0")), user
    assert any(op == "HEALTHCHECK" and "service.healthcheck" in arg for op, arg in runtime)
    assert any(op == "COPY" and "--from=model" in arg for op, arg in runtime), "the default model is in the image"


def test_dependencies_are_installed_before_the_code_is_copied():
    steps = instructions()
    deps = next(i for i, (op, arg) in enumerate(steps) if op == "RUN" and "requirements.txt" in arg)
    code = next(i for i, (op, arg) in enumerate(steps) if op == "COPY" and arg.startswith("quoteframe"))
    assert deps < code
    assert not any(op == "COPY" and arg.split()[0] in (".", "./") for op, arg in steps[:deps])


def test_healthcheck_command_reports_readiness(analyzer, tiny_model, tmp_path, monkeypatch):
    from service import healthcheck

    # /readyz is 503 without a classifier: give the server one
    ready = load_analyzer(tiny_model, config=analyzer.config)
    app = create_app(Settings(feedback_db=str(tmp_path / "fb.db")), analyzer=ready)
    with LiveServer(app) as url:
        monkeypatch.setenv("QUOTEFRAME_PORT", url.rsplit(":", 1)[1])
        assert healthcheck.main() == 0
    assert healthcheck.main() == 1, "a stopped server is not healthy"
