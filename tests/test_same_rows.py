"""Same rows from every path: for the same articles and model folder, the CLI (``analyze`` and
``score``), the REST service, the local batch engine and the Ray engine give the same rows. The
articles are few enough that the CLI, both engines and the Ray engine label all their quotes in one
model call, and their rows are the same byte for byte. The service labels each article of a request
as a work item of its own (fair scheduling), so its passes hold other quotes, and its scores may be
one unit off in their fourth decimal (``last_digit.py``); all else is the same.

The model was trained with an extra ``--actors`` file and is loaded without passing it again, so
every path must read articles with the gazetteer the model folder keeps: the speakers' sides and
the target candidates of the two countries that only that file knows.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.last_digit import same_but_the_last_digit
from quoteframe.analyzer import load_analyzer
from quoteframe.batch.score import ScoreConfig, score
from quoteframe.cli import main
from service.app import create_app
from service.settings import Settings
from tests.tiny_model import EXTRA_ARTICLE

pytestmark = pytest.mark.slow  # a real training run (the session's actors_model), Ray
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def archive(generated_articles, tmp_path_factory) -> Path:
    """A folder of ``ID.txt`` articles: six generated ones and one about the extra file's countries."""
    folder = tmp_path_factory.mktemp("archive")
    for article in generated_articles[:6]:
        (folder / f"{article['id']}.txt").write_text(article["text"], encoding="utf-8")
    (folder / "freedonia.txt").write_text(EXTRA_ARTICLE, encoding="utf-8")
    return folder


def as_rows(analysis: dict) -> list[dict]:
    """An analysis object flattened as ``quoteframe score`` writes its rows (API.md, Batch scoring)."""
    rows = []
    for i, q in enumerate(analysis["quotes"]):
        row = {"article_id": analysis["id"], "quote_index": i, **{k: v for k, v in q.items() if k != "speaker"}}
        row.update({f"speaker_{k}": v for k, v in q["speaker"].items()})
        row["frames"] = json.dumps(q["frames"], sort_keys=True) if q["frames"] is not None else None
        rows.append(row)
    return rows


SENTENCE = ("sentence", "sentence_start")  # a scored row's own columns: the analysis object has no sentences


def read_rows(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert all(r["sentence"][r["start"] - r["sentence_start"]:r["end"] - r["sentence_start"]] == r["text"] for r in rows)
    return [{k: v for k, v in r.items() if k not in SENTENCE} for r in rows]


def by_article(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["article_id"], r["quote_index"]))


@pytest.fixture(scope="module")
def analyzed(actors_model, archive) -> list[dict]:
    """The rows of ``quoteframe analyze --model MODEL`` over the archive's files (no --actors)."""
    model, _ = actors_model
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["analyze", "--model", str(model), *map(str, sorted(archive.glob("*.txt")))]) == 0
    rows = [row for line in out.getvalue().splitlines() for row in as_rows(json.loads(line))]
    freedonia = [r for r in rows if r["article_id"] == "freedonia"]
    assert {"Freedonia", "Sylvania"} <= {r["speaker_actor"] for r in freedonia}, "the model's gazetteer was not applied"
    assert len(rows) > 20 and all(r["frame"] for r in rows)
    return by_article(rows)


def test_cli_score_gives_the_rows_of_cli_analyze(actors_model, archive, analyzed, tmp_path):
    model, _ = actors_model
    out = tmp_path / "scored.jsonl"
    # a parse worker process: it builds its Analyzer from the model's gazetteer too
    assert main(["score", str(archive), "--out", str(out), "--model", str(model), "--workers", "1"]) == 0
    assert by_article(read_rows(out)) == analyzed


def test_the_local_engine_gives_the_rows_of_cli_analyze(actors_model, archive, analyzed, tmp_path):
    model, _ = actors_model
    out = tmp_path / "scored.jsonl"
    score(archive, out, config=ScoreConfig(workers=0, progress=False), analyzer=load_analyzer(model))
    assert by_article(read_rows(out)) == analyzed


def test_rest_gives_the_rows_of_cli_analyze(actors_model, archive, analyzed, tmp_path):
    model, _ = actors_model
    articles = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(archive.glob("*.txt"))]
    with TestClient(create_app(Settings(model=str(model), feedback_db=str(tmp_path / "fb.db")))) as c:
        r = c.post("/v1/analyze/batch", json={"articles": articles})
    assert r.status_code == 200
    assert same_but_the_last_digit(by_article([row for a in r.json()["results"] for row in as_rows(a)]), analyzed)


def test_the_ray_engine_gives_the_rows_of_cli_analyze(actors_model, archive, analyzed, tmp_path):
    model, _ = actors_model
    out = tmp_path / "ray.jsonl"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "RAY_ADDRESS": ""}  # Ray's local mode, on this machine
    done = subprocess.run([sys.executable, "-c", "import sys; from quoteframe.cli import main; sys.exit(main())",
                           "score", str(archive), "--out", str(out), "--model", str(model), "--engine", "ray",
                           "--workers", "1"],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert by_article(read_rows(out)) == analyzed
