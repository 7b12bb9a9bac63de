"""The benchmark archive generator (bench/make_archive.py): varied, reproducible, readable in every format.

The archive is what `quoteframe score` is measured on, so each test asserts
what a benchmark user would notice: the same seed gives the same archive,
articles are not one text repeated, every format reads back with the
columns, bad rows are the ones the docstring promises, and the quotes
written are ones the real extractor finds and attributes.
"""
from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from tests.conftest import REPO

COLUMNS = ["id", "text", "title", "date", "source", "lang"]


def _load():
    spec = importlib.util.spec_from_file_location("make_archive", REPO / "bench" / "make_archive.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_archive"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


make_archive = _load()
SENTENCE = re.compile(r"(?<=[.!?”\"])\s+")


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return list(make_archive.generate(200, seed=7, truth=True))


def _clean(n: int, seed: int = 7) -> list[dict]:
    return list(make_archive.generate(n, seed))


# -- content -----------------------------------------------------------------------------
def test_same_seed_gives_same_articles_and_another_seed_others():
    assert _clean(30, seed=3) == _clean(30, seed=3)
    assert [a["text"] for a in _clean(30, seed=3)] != [a["text"] for a in _clean(30, seed=4)]


def test_articles_are_varied_not_one_text_repeated(articles):
    texts = [a["text"] for a in articles]
    sentences = {s for t in texts for s in SENTENCE.split(t)}
    assert len(set(texts)) > 190
    assert len(sentences) > 1_000
    assert len({a["title"] for a in articles}) > 150
    words = sorted(len(t.split()) for t in texts)
    assert 150 <= words[0] and words[-1] <= 1_600, "lengths run from about 150 to 1,500 words"
    assert 350 <= words[len(words) // 2] <= 700, "median near 500 words"


def test_columns_ids_dates_and_sources(articles):
    assert all(list(a)[:6] == COLUMNS for a in articles)
    assert len({a["id"] for a in articles}) == 200 and articles[0]["id"] == "art-000001"
    dates = sorted(a["date"] for a in articles)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", dates[0]) and dates[0] < "2023-03-01" and dates[-1] > "2024-10-01"
    assert 3 <= len({a["source"] for a in articles}) <= 10
    assert {a["lang"] for a in articles} == {"en"}


def test_quotes_come_in_every_shape_and_frame(articles):
    counts = [len(a["quotes"]) for a in articles]
    assert max(counts) <= 15 and 0 in counts, "0-15 quotes, some articles with none"
    quotes = [q for a in articles for q in a["quotes"]]
    assert {q["kind"] for q in quotes} == {"direct", "indirect", "mixed"}
    assert {q["frame"] for q in quotes} == {"blame", "denial", "threat", "humanitarian", "deception",
                                             "de-escalation", "measures", "neutral"}
    for a in articles:
        for q in a["quotes"]:
            assert a["text"][q["start"]:q["end"]].strip(), q
    texts = "".join(a["text"] for a in articles)
    assert "“" in texts and '"' in texts, "typographic and straight quotation marks both"
    assert re.search(r"\b(He|She|It|They) (also )?(added|said|noted|stressed|continued)\b", texts)
    assert "according to" in texts.lower() and " accused " in texts and " called on " in texts


# -- formats -------------------------------------------------------------------------------
def _read(path: Path, fmt: str) -> pd.DataFrame:
    if fmt == "txt":
        files = sorted(path.glob("*.txt"))
        return pd.DataFrame({"id": [f.stem for f in files], "text": [f.read_text("utf-8") for f in files]})
    if fmt == "parquet":
        return pq.read_table(path).to_pandas()
    if fmt == "csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.read_json(path, lines=True, dtype=False)


@pytest.mark.parametrize("name", ["a.jsonl", "a.jsonl.gz", "a.csv", "a.csv.gz", "a.parquet", "folder"])
def test_every_format_reads_back_with_the_columns(tmp_path, name):
    out = tmp_path / name
    summary = make_archive.write_archive(out, 40, seed=5)
    fmt = summary["format"]
    expected_fmt = {"a.jsonl": "jsonl", "a.csv": "csv", "a.parquet": "parquet", "folder": "txt"}
    assert fmt == expected_fmt[name.removesuffix(".gz")], "the format follows the extension"
    frame = _read(out, fmt)
    expected = _clean(40, seed=5)
    assert len(frame) == 40 and summary["articles"] == 40 and summary["bad"] == 0
    assert list(frame.columns) == (["id", "text"] if fmt == "txt" else COLUMNS)
    assert list(frame["text"]) == [a["text"] for a in expected], "texts, newlines included, survive the round trip"
    assert list(frame["id"]) == [a["id"] for a in expected]
    assert summary["words"] == sum(len(a["text"].split()) for a in expected)
    if name.endswith(".gz"):
        with open(out, "rb") as handle:
            assert handle.read(2) == b"\x1f\x8b", "a .gz suffix gzips the file"
    assert not list(tmp_path.glob("*.part")), "no temporary file left behind"


def test_parquet_is_written_in_row_groups(tmp_path, monkeypatch):
    monkeypatch.setattr(make_archive, "ROW_GROUP", 10)  # 1,000 in real archives
    make_archive.write_archive(tmp_path / "a.parquet", 25, seed=1)
    meta = pq.ParquetFile(tmp_path / "a.parquet").metadata
    assert meta.num_rows == 25 and meta.num_row_groups == 3


def test_format_errors_explain_the_fix(tmp_path):
    with pytest.raises(ValueError, match="format"):
        make_archive.write_archive(tmp_path / "a.xlsx", 5)
    with pytest.raises(ValueError, match="gzipped"):
        make_archive.write_archive(tmp_path / "a.parquet.gz", 5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        make_archive.write_archive(tmp_path / "a.jsonl", 5, bad=2)


# -- bad rows ------------------------------------------------------------------------------
def test_bad_jsonl_rows_are_empty_blank_null_or_broken(tmp_path):
    out = tmp_path / "a.jsonl"
    summary = make_archive.write_archive(out, 200, seed=7, bad=0.04)
    assert summary["bad"] == 8
    kinds, good = [], []
    for line in out.read_text("utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            kinds.append("broken_json")
            continue
        text = row["text"]
        if text is None:
            kinds.append("null")
        elif text == "":
            kinds.append("empty")
        elif not text.strip():
            kinds.append("blank")
        else:
            good.append(row)
    assert sorted(kinds) == sorted(["broken_json", "null", "empty", "blank"] * 2)
    clean = {a["id"]: a for a in _clean(200)}
    assert len(good) == 192 and all(row == clean[row["id"]] for row in good), "the other articles are unchanged"


def test_bad_csv_and_parquet_rows(tmp_path):
    make_archive.write_archive(tmp_path / "a.csv.gz", 100, seed=2, bad=0.05)
    with gzip.open(tmp_path / "a.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    assert len(texts) == 100 and sum(not t.strip() for t in texts) == 5
    make_archive.write_archive(tmp_path / "a.parquet", 100, seed=2, bad=0.05)
    texts = pq.read_table(tmp_path / "a.parquet").column("text").to_pylist()
    assert len(texts) == 100 and sum(t is None or not t.strip() for t in texts) == 5 and None in texts


def test_bad_txt_files_include_bytes_that_are_not_utf8(tmp_path):
    folder = tmp_path / "txt"
    summary = make_archive.write_archive(folder, 60, seed=3, fmt="txt", bad=0.05)
    assert summary["bad"] == 3
    undecodable = []
    for path in sorted(folder.glob("*.txt")):
        try:
            path.read_text("utf-8")
        except UnicodeDecodeError:
            undecodable.append(path.name)
    assert len(list(folder.glob("*.txt"))) == 60 and len(undecodable) == 1


def test_cli_writes_and_prints_a_one_line_summary(tmp_path, capsys):
    out = tmp_path / "arch" / "a.jsonl.gz"
    assert make_archive.main(["--articles", "12", "--out", str(out), "--seed", "2", "--bad", "0.1"]) == 0
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "12 articles (1 bad)" in err and str(out) in err and " words" in err
    with gzip.open(out, "rt", encoding="utf-8") as handle:
        assert len(handle.read().splitlines()) == 12
    assert make_archive.main(["--articles", "3", "--out", str(tmp_path / "a.docx")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err


# -- the real extractor finds the quotes ---------------------------------------------------
def test_the_extractor_finds_most_quotes_and_their_sides(analyzer):
    # 20 articles of up to 450 words: every shape occurs, and spaCy stays within the test budget.
    short = [a for a in make_archive.generate(60, seed=11, truth=True) if len(a["text"].split()) <= 450][:20]
    written = found = with_actor = 0
    for article in short:
        quotes = analyzer.analyze(article["text"], id=article["id"]).quotes
        for q in article["quotes"]:
            written += 1
            hits = [g for g in quotes if g.start < q["end"] and q["start"] < g.end]
            if hits:
                found += 1
                with_actor += hits[0].speaker.actor is not None
    assert written > 60
    assert found / written > 0.85, f"the extractor found {found} of {written} quotes"
    assert with_actor / found > 0.75, f"{with_actor} of {found} found quotes have a speaker actor"
