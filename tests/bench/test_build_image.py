"""bench/build_image.sh: the image built with buildah, run, and asked to tag a seed article.

The dry run (always) checks the commands the script would run: the Dockerfile built by buildah
on the debootstrapped Debian base, torch and the model from the folders given, the service run
on loopback with a token. Bad options exit 2 with a message naming the fix.

The real build (slow: minutes with a warm layer cache, about half an hour cold on 2 cores) needs
buildah and root; where buildah is missing it is skipped with the command that installs it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.conftest import REPO

SCRIPT = REPO / "bench" / "build_image.sh"


def build_image(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def sources(tmp_path: Path) -> dict[str, Path]:
    """A torch wheel folder, a model folder and an article, as the options take them."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (wheels / "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl").write_bytes(b"")
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text('"The border stays open," the minister said on Monday.\n', encoding="utf-8")
    ca = tmp_path / "ca.pem"
    ca.write_text("not read on a dry run\n", encoding="utf-8")
    return {"wheels": wheels, "model": model, "article": article, "ca": ca}


def dry_run(sources: dict[str, Path], *extra: str) -> str:
    result = build_image("--dry-run", "--torch-wheels", str(sources["wheels"]), "--model", str(sources["model"]),
                         "--article", str(sources["article"]), "--ca-bundle", str(sources["ca"]),
                         "--port", "18123", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def commands(output: str, program: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("+ ") and f" {program} " in f" {line[2:]} "]


def test_dry_run_builds_the_dockerfile_on_a_debootstrapped_base_with_the_given_wheels_and_model(sources):
    out = dry_run(sources)
    [debootstrap] = commands(out, "debootstrap")
    assert "--variant=minbase" in debootstrap and "bookworm" in debootstrap and "python3-venv" in debootstrap
    [build] = [c for c in commands(out, "buildah") if " build " in c]
    assert "PYTHON_IMAGE=localhost/quoteframe-base:bookworm" in build
    assert f"torch-wheels={sources['wheels']}" in build and f"default-model={sources['model']}" in build
    assert "--format docker" in build, "the OCI format drops the HEALTHCHECK"
    assert "id=pip-cert" in build and str(sources["ca"]) in build and build.endswith(str(REPO))
    assert out.rstrip().endswith("dry run: nothing was run")
    assert not Path("/var/tmp/quoteframe-image.DRY").exists()


def test_dry_run_serves_on_loopback_with_a_token_and_checks_the_image(sources):
    out = dry_run(sources)
    [serve] = [c for c in commands(out, "buildah") if "QUOTEFRAME_API_TOKEN=" in c]
    assert "QUOTEFRAME_HOST=127.0.0.1" in serve and "QUOTEFRAME_PORT=18123" in serve
    runs = [c for c in commands(out, "buildah") if " buildah run " in c]
    assert any("QUOTEFRAME_PORT=18123" in c for c in runs), "the image's HEALTHCHECK is run against the served port"
    assert any(c.endswith("-- id -u") for c in runs), "the container's user is checked"
    [refused] = [c for c in runs if "QUOTEFRAME_HOST=" in c and "QUOTEFRAME_API_TOKEN" not in c and " -- " in c]
    assert "127.0.0.1" not in refused, "without a token the image is started on a non-loopback host, to be refused"
    [post] = commands(out, "POST")
    assert "http://127.0.0.1:18123/v1/analyze" in post and str(sources["article"]) in post and "Belarus" in post


def test_dry_run_on_a_given_base_image_skips_debootstrap(sources):
    out = dry_run(sources, "--base", "python:3.11-slim-bookworm")
    assert not commands(out, "debootstrap")
    assert "PYTHON_IMAGE=python:3.11-slim-bookworm" in out


@pytest.mark.parametrize("args, message", [
    (["--torch-wheels", "{tmp}/empty"], "holds no torch-*.whl"),
    (["--model", "{tmp}/empty"], "no config.json"),
    (["--article", "{tmp}/missing.txt"], "--article FILE"),
    (["--ca-bundle", "{tmp}/missing.pem"], "is not a file"),
    (["--port", "eighty"], "not a positive whole number"),
    (["--build-timeout", "0"], "not a positive whole number"),
    (["--tag"], "--tag needs a value"),
    (["--colour", "red"], "unknown option '--colour'"),
])
def test_bad_options_exit_2_naming_the_fix(tmp_path, sources, args, message):
    (tmp_path / "empty").mkdir()
    result = build_image("--dry-run", "--torch-wheels", str(sources["wheels"]), "--article", str(sources["article"]),
                         *[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "buildah build" not in result.stdout, "nothing runs after a bad option"


BUILDAH_MISSING = "buildah is not installed: apt-get install -y buildah debootstrap (as root), see the README"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("buildah") is None, reason=BUILDAH_MISSING)
@pytest.mark.skipif(os.geteuid() != 0, reason="bench/build_image.sh needs root (debootstrap, buildah)")
def test_the_built_image_runs_as_non_root_passes_its_healthcheck_and_tags_a_seed_article(seeds):
    """The issue's acceptance for the image, with the default model copied in (training it in the
    image is the script's default, measured in the README; copying keeps this test to the build)."""
    from quoteframe.classifier import default_model_dir
    from training.train import build_default_model

    build_default_model()
    result = build_image("--tag", "localhost/quoteframe:test", "--model", str(default_model_dir()),
                         "--article", str(seeds / "000_4e24e01c82df98ec.txt"), timeout=4200)
    out = result.stdout
    assert result.returncode == 0, out[-4000:] + result.stderr[-4000:]
    assert "== readyz: 200" in out and "== healthcheck: passed" in out
    assert "== without a token: refused" in out
    uid = next(line for line in out.splitlines() if line.startswith("== user id in the container:"))
    assert uid.rsplit(":", 1)[1].strip() not in ("", "0")
    tags = next(line for line in out.splitlines() if line.startswith("== tags:"))
    assert "Belarus blames Poland" in tags
    assert out.rstrip().endswith("all checks passed")
