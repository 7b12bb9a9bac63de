"""Headless Chromium for the page tests: Debian's chromium driven by Playwright.

The test installs it with apt-get when it is missing; ``QUOTEFRAME_CHROMIUM``
names another binary.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu"]


def chromium_path() -> str:
    path = os.environ.get("QUOTEFRAME_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env, capture_output=True)
        path = shutil.which("chromium")
    if not path:
        pytest.fail("Chromium is not installed: apt-get install chromium (or set QUOTEFRAME_CHROMIUM)")
    return path
