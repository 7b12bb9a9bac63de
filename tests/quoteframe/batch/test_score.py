"""`quoteframe score`: every input format, bad articles to the errors file, resuming after kill -9, Ray."""
from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from quoteframe.analyzer import AnalyzerConfig
from quoteframe.batch.score import ScoreConfig, _extract_in_worker, _init_worker, _parse, score
from quoteframe.batch.sources import Article
from quoteframe.cli import main
from training.train import build_default_model
from tests.conftest import REPO

QUOTED = [
    '"We will not let them through," Polish police said on Tuesday.',
    "Belarus said that Poland was lying about the migrants.",
    'The minister added: "The border stays closed." He spoke in Warsaw.',
    "A spokesman for the European Commission said the situation was unacceptable.",
]


def articles(n: int = 12) -> list[dict]:
    """Small varied articles: different sentences, orders and lengths, some without quotes."""
    out = []
    for i in range(n):
        sentences = [QUOTED[(i + k) % len(QUOTED)] for k in range(1 + i % 3)]
        if i % 5 == 4:
            sentences = [f"Trade fell by {i} percent in the month. Markets were calm."]
        out.append({"id": f"art-{i:03d}", "text": " ".join(sentences), "date": f"2021-11-{1 + i:02d}", "source": "wire"})
    return out


def write_jsonl(path: Path, records: list[dict], extra_lines: list[str] = ()) -> Path:
    lines = [json.dumps(r) for r in records] + list(extra_lines)
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def read_rows(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    return [json.loads(line) for line in path.read_text().splitlines()]


def no_labels(**kw) -> ScoreConfig:
    return ScoreConfig(labels=False, workers=0, progress=False, chunk_size=4, **kw)


@pytest.mark.parametrize("name", ["in.jsonl", "in.jsonl.gz", "in.csv", "in.csv.gz", "in.parquet"])
def test_every_input_format_gives_one_row_per_quote_with_metadata(tmp_path, name):
    records = articles()
    path = tmp_path / name
    if "jsonl" in name:
        write_jsonl(path, records)
    elif "csv" in name:
        pd.DataFrame(records).to_csv(path, index=False, compression="gzip" if name.endswith(".gz") else None)
    else:
        pd.DataFrame(records).to_parquet(path)
    summary = score(path, tmp_path / "out.jsonl", config=no_labels())
    rows = read_rows(tmp_path / "out.jsonl")
    texts = {r["id"]: r["text"] for r in records}
    assert summary.articles == len(records) and summary.errors == 0
    assert len(rows) == summary.quotes > len(records)
    for row in rows:
        assert texts[row["article_id"]][row["start"] : row["end"]] == row["text"]
        assert texts[row["article_id"]][row["sentence_start"] :].startswith(row["sentence"])  # the quote's sentence
        assert row["text"] in row["sentence"]
        assert row["source"] == "wire" and row["date"].startswith("2021-11-")
    assert {r["speaker_actor"] for r in rows} >= {"Poland", "Belarus"}
    assert [r["article_id"] for r in rows] == sorted(r["article_id"] for r in rows)  # archive order


def test_folder_of_text_files_with_a_binary_file_and_parquet_output(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for r in articles(5):
        (folder / f"{r['id']}.txt").write_text(r["text"])
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    (folder / "scan.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    out = tmp_path / "scored.parquet"
    summary = score(folder, out, config=no_labels())
    rows = read_rows(out)
    errors = [json.loads(x) for x in (tmp_path / "scored.errors.jsonl").read_text().splitlines()]
    assert summary.articles == 7 and len(rows) == summary.quotes > 0
    assert [e["article_id"] for e in errors] == ["photo.jpg", "scan"]
    assert "not a .txt file" in errors[0]["reason"] and "not UTF-8" in errors[1]["reason"]
    assert {r["article_id"] for r in rows} <= {f"art-{i:03d}" for i in range(5)}
    assert not (tmp_path / "scored.parquet.parts").exists()


def test_bad_articles_go_to_the_errors_file_and_the_run_goes_on(tmp_path):
    records = articles(6) + [{"id": "empty", "text": "  \n "}, {"id": "huge", "text": "word " * 3000},
                             {"id": "number", "text": 42}, {"id": "no-text"}]
    path = write_jsonl(tmp_path / "in.jsonl", records, extra_lines=['{"id": "broken", "text": "unterminated'])
    summary = score(path, tmp_path / "out.jsonl", config=no_labels(max_chars=10_000))
    errors = {e["article_id"]: e["reason"] for e in map(json.loads, (tmp_path / "out.errors.jsonl").read_text().splitlines())}
    assert summary.articles == 11 and summary.errors == 5
    assert "empty" in errors["empty"]
    assert "over the limit of 10,000" in errors["huge"]
    assert "not a string" in errors["number"]
    assert "no 'text' field" in errors["no-text"]
    assert "line 11 is not valid JSON" in errors["in.jsonl:11"]
    assert {r["article_id"] for r in read_rows(tmp_path / "out.jsonl")} == {f"art-{i:03d}" for i in range(6) if i != 4}


@pytest.mark.parametrize("content, out, message", [
    ("id,body\n1,hello\n", "out.jsonl", "no 'text' column (columns: id, body); name the text column with --text-column"),
    ("id,text\n1,hello\n", "out.txt", "give the output a .parquet or .jsonl extension"),
])
def test_archive_level_problems_give_one_clear_line(tmp_path, capsys, content, out, message):
    path = tmp_path / "in.csv"
    path.write_text(content)
    code = main(["score", str(path), "--out", str(tmp_path / out), "--no-labels"])
    err = capsys.readouterr().err
    assert code == 1 and message in err and "Traceback" not in err


def test_missing_and_unknown_archives_give_one_clear_line(tmp_path, capsys):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    assert main(["score", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o.jsonl")]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["score", str(tmp_path / "notes.docx"), "--out", str(tmp_path / "o.jsonl")]) == 1
    assert "unknown archive format" in capsys.readouterr().err


def test_a_finished_output_is_not_scored_again(tmp_path, capsys):
    path = write_jsonl(tmp_path / "in.jsonl", articles(3))
    args = ["score", str(path), "--out", str(tmp_path / "out.jsonl"), "--no-labels", "--workers", "0"]
    assert main(args) == 0
    first = (tmp_path / "out.jsonl").read_bytes()
    capsys.readouterr()
    assert main(args) == 0
    assert "already scored" in capsys.readouterr().err
    assert (tmp_path / "out.jsonl").read_bytes() == first


def test_an_unfinished_run_of_another_input_is_not_mixed_in(tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", articles(8))
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.parts").mkdir()
    (tmp_path / "out.jsonl.parts" / "run.json").write_text(json.dumps({"input": {"path": "elsewhere"}}))
    with pytest.raises(Exception, match="unfinished run with another .*--restart"):
        score(first, out, config=no_labels())
    score(first, out, config=no_labels(restart=True))
    assert out.exists()


# -- resuming after kill -9, with the real model ----------------------------------------------------
def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "quoteframe.cli", *args]


def seed_paragraph_archive(path: Path, seeds: Path) -> Path:
    """Real news text: each seed paragraph an article."""
    records = []
    for seed in sorted(seeds.glob("*.txt")):
        for i, para in enumerate(p for p in seed.read_text().split("\n") if len(p.split()) > 8):
            records.append({"id": f"{seed.stem[:3]}-{i:02d}", "text": para})
    return write_jsonl(path, records)


@pytest.mark.slow
def test_kill_9_midway_then_rerun_gives_exactly_the_rows_of_an_uninterrupted_run(tmp_path, seeds):
    build_default_model()
    archive = seed_paragraph_archive(tmp_path / "in.jsonl", seeds)
    flags = ["--chunk-size", "2", "--workers", "0"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    subprocess.run(_cli("score", str(archive), "--out", str(tmp_path / "whole.jsonl"), *flags),
                   check=True, env=env, cwd=REPO, capture_output=True)

    out = tmp_path / "killed.jsonl"
    proc = subprocess.Popen(_cli("score", str(archive), "--out", str(out), *flags), env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = tmp_path / "killed.jsonl.parts"
    deadline = time.time() + 300
    while len(list(parts.glob("rows-*.jsonl"))) < 3 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists(), "the run ended before it could be killed midway"
    done_before = len(list(parts.glob("rows-*.jsonl")))

    rerun = subprocess.run(_cli("score", str(archive), "--out", str(out), *flags), env=env, cwd=REPO,
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{done_before} chunk(s) done before" in rerun.stderr
    whole, resumed = read_rows(tmp_path / "whole.jsonl"), read_rows(out)
    keys = [(r["article_id"], r["quote_index"]) for r in resumed]
    assert len(keys) == len(set(keys)), "a quote was written twice"
    assert resumed == whole
    assert any(r["tag"] for r in whole)


# -- score then report, on the seed articles -----------------------------------------------------------
def gold_ties(seeds: Path, frame: str) -> set[tuple[str, str]]:
    gold = [json.loads(line) for path in seeds.glob("*.gold.jsonl") for line in path.read_text().splitlines()]
    return {(g["speaker_actor"], g["target"]) for g in gold if g.get("frame") == frame and g.get("target")}


def test_report_on_the_scored_seed_articles_shows_their_blame_ties(tmp_path, seeds):
    from quoteframe.analyzer import load_analyzer
    from quoteframe.report import write_report

    build_default_model()
    out = tmp_path / "seeds.parquet"
    score(seeds, out, config=ScoreConfig(workers=0, progress=False), analyzer=load_analyzer())
    write_report(out, tmp_path / "report")
    rows = read_rows(out)
    ties = pd.read_csv(tmp_path / "report" / "ties.csv")
    blame = ties[ties.frame == "blame"]
    scored = {(r["speaker_actor"] or "(unknown)", r["target"]) for r in rows if r["frame"] == "blame" and r["target"]}
    assert set(zip(blame.speaker_actor, blame.target)) == scored  # the report counts what was scored
    found = scored & gold_ties(seeds, "blame")
    assert ("Belarus", "Poland") in found  # the example: Belarus → Poland under blame
    page = (tmp_path / "report" / "index.html").read_text()
    assert 'href="blame_ties.png"' in page and 'src="data:image/png;base64,' in page
    assert all(f"{actor} → {target}" in page for actor, target in found)


TORCH_LOADED = "__import__('sys').modules.get('torch') is not None"


def test_a_parse_worker_of_the_bundled_pipeline_finds_quotes_without_loading_torch():
    """thinc imports torch when it is installed; a worker that only parses starts sooner and
    holds less memory without it, and finds the same quotes."""
    chunk = [Article(0, "a", QUOTED[0]), Article(1, "b", QUOTED[1])]
    with multiprocessing.get_context("spawn").Pool(1, initializer=_init_worker, initargs=(AnalyzerConfig(),)) as pool:
        parsed = pool.apply(_extract_in_worker, (chunk,))
        torch_loaded = pool.apply(eval, (TORCH_LOADED,))
    assert not torch_loaded
    assert [(a.id, [q.speaker.actor for q in analysis.quotes]) for a, analysis, _ in parsed] == \
        [("a", ["Poland"]), ("b", ["Belarus"])]


def test_the_model_gets_every_core_once_the_workers_have_parsed_the_last_chunk():
    """The tail of a run: nothing is left to parse, so the model need not leave a core to the workers."""
    from quoteframe.analyzer import Analyzer

    chunks = [(i, [Article(i, f"art-{i}", QUOTED[i % len(QUOTED)])]) for i in range(4)]
    calls, seen = [], []
    for index, parsed in _parse(iter(chunks), Analyzer(), workers=1, idle=lambda: calls.append(list(seen))):
        seen.append(index)
        time.sleep(0.5)  # labelling the chunk: the worker has long parsed the one-sentence rest
    assert seen == [0, 1, 2, 3]
    assert len(calls) == 1
    # once every chunk is with the worker (the stream ends after chunk 3 is read), before the last is handed on
    assert calls[0] in ([0], [0, 1], [0, 1, 2])
