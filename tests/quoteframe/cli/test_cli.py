"""The `quoteframe` command line: analyze and evaluate, as a user runs them.

Runs ``quoteframe.cli.main`` in-process (spaCy loads once per session) and
once as a real subprocess. Checks the JSON Lines shape of API.md, offsets
that slice the input, and that bad input ends with one clear
``quoteframe: error:`` line and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from quoteframe.cli import main

QUOTE_FIELDS = {"text", "start", "end", "kind", "cue", "speaker", "frame", "frame_score", "frames",
                "target", "stance", "stance_score", "tag", "low_confidence"}
SPEAKER_FIELDS = {"name", "mention", "actor", "start", "end", "via"}
KINDS = {"direct", "indirect", "mixed"}

GOOD = '“We will keep the harbour open all winter,” port director Helen Osei said on Friday.\n'


# -- helpers ---------------------------------------------------------------------
def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``quoteframe ARGS`` run in-process."""
    try:
        rc = main(list(args))
    except Exception as err:  # what a user would see as a traceback
        pytest.fail(f"quoteframe {' '.join(args)} raised {type(err).__name__}: {err}")
    out, err = capsys.readouterr()
    return rc, out, err


def analyses(out: str) -> list[dict]:
    """The JSON objects printed, one per line; every line must be valid JSON."""
    lines = out.splitlines()
    assert all(line.strip() for line in lines), f"blank line in output: {out!r}"
    return [json.loads(line) for line in lines]


def check_analysis(obj: dict, text: str, id: str) -> None:
    """``obj`` has the API.md shape and its offsets slice ``text``."""
    assert set(obj) >= {"id", "model", "quotes"}
    assert obj["id"] == id
    model = obj["model"]
    assert set(model) >= {"name", "version", "labels"}
    assert isinstance(model["name"], str) and model["name"]
    assert isinstance(model["version"], str) and model["version"]
    assert isinstance(model["labels"], list) and all(isinstance(x, str) for x in model["labels"])
    assert isinstance(obj["quotes"], list)
    starts = []
    for q in obj["quotes"]:
        assert set(q) >= QUOTE_FIELDS, f"missing fields: {QUOTE_FIELDS - set(q)}"
        assert set(q["speaker"]) >= SPEAKER_FIELDS, f"missing speaker fields: {SPEAKER_FIELDS - set(q['speaker'])}"
        assert q["kind"] in KINDS
        assert isinstance(q["start"], int) and isinstance(q["end"], int)
        assert 0 <= q["start"] < q["end"] <= len(text)
        assert text[q["start"] : q["end"]] == q["text"]
        sp = q["speaker"]
        if sp["start"] is not None:
            assert text[sp["start"] : sp["end"]] == sp["mention"]
        if q["frames"] is not None:
            assert set(q["frames"]) == set(model["labels"])
        if q["frame"] is not None:
            assert q["frame"] in model["labels"]
        starts.append(q["start"])
    assert starts == sorted(starts), "quotes are not in article order"


def assert_one_clear_error(err: str, *must_mention: str) -> None:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one error line, got: {err!r}"
    assert lines[0].startswith("quoteframe: error:"), lines[0]
    for word in must_mention:
        assert word in lines[0], f"{word!r} not named in {lines[0]!r}"


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- analyze: good input -------------------------------------------------------------
def test_analyze_prints_one_api_object_per_article(tmp_path, capsys):
    first = write(tmp_path / "harbour.txt", GOOD)
    second_text = "The Kremlin said the military exercises near the border were routine.\n"
    second = write(tmp_path / "drills.txt", second_text)
    rc, out, err = run_cli(capsys, "analyze", str(first), str(second))
    assert rc == 0, err
    assert "error" not in err
    objs = analyses(out)
    assert len(objs) == 2
    check_analysis(objs[0], GOOD, "harbour")
    check_analysis(objs[1], second_text, "drills")
    (q,) = objs[0]["quotes"]
    assert q["text"] == "We will keep the harbour open all winter,"
    assert q["kind"] == "direct"
    assert q["speaker"]["name"] == "Helen Osei"
    (q,) = objs[1]["quotes"]
    assert q["text"] == "the military exercises near the border were routine"
    assert q["kind"] == "indirect"
    assert q["speaker"]["actor"] == "Russia"


def test_analyze_reads_standard_input(monkeypatch, capsys):
    text = "Belta said the crossing at Bruzgi would stay closed until Monday.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    rc, out, err = run_cli(capsys, "analyze", "-")
    assert rc == 0, err
    (obj,) = analyses(out)
    check_analysis(obj, text, "stdin")
    (q,) = obj["quotes"]
    assert q["text"] == "the crossing at Bruzgi would stay closed until Monday"
    assert q["speaker"]["name"] == "Belta"
    assert q["speaker"]["actor"] == "Belarus"


def test_article_without_quotes_gives_an_empty_list(tmp_path, capsys):
    text = "The bridge over the Vistula reopened on Monday after two years of repairs.\n"
    path = write(tmp_path / "bridge.txt", text)
    rc, out, err = run_cli(capsys, "analyze", str(path))
    assert rc == 0, err
    (obj,) = analyses(out)
    check_analysis(obj, text, "bridge")
    assert obj["quotes"] == []
    assert '"quotes": []' in out


def test_analyze_as_a_real_process_has_no_traceback(tmp_path):
    path = write(tmp_path / "harbour.txt", GOOD)
    proc = subprocess.run(
        [sys.executable, "-m", "quoteframe.cli", "analyze", str(path)],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "error" not in proc.stderr
    (obj,) = analyses(proc.stdout)
    check_analysis(obj, GOOD, "harbour")
    assert [q["text"] for q in obj["quotes"]] == ["We will keep the harbour open all winter,"]


# -- analyze: bad input ----------------------------------------------------------------
@pytest.mark.parametrize(
    "name, content, hint",
    [
        ("empty.txt", "", "empty"),
        ("blank.txt", "  \n\t\n   \n", "empty"),
        ("missing.txt", None, "missing.txt"),
        ("folder", "DIR", "folder"),
        ("latin1.txt", "Café owners said the rent had doubled.".encode("latin-1"), "UTF-8"),
    ],
    ids=["empty", "whitespace-only", "missing", "folder", "not-utf8"],
)
def test_bad_input_gives_one_clear_error_line(tmp_path, capsys, name, content, hint):
    path = tmp_path / name
    if content == "DIR":
        path.mkdir()
    elif content is not None:
        write(path, content)
    rc, out, err = run_cli(capsys, "analyze", str(path))
    assert rc != 0
    assert out == ""
    assert_one_clear_error(err, name, hint)


def test_bad_standard_input_gives_one_clear_error_line(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Caf\xe9 \xff\xfe"), encoding="utf-8"))
    rc, out, err = run_cli(capsys, "analyze", "-")
    assert rc != 0
    assert out == ""
    assert_one_clear_error(err, "UTF-8")


def test_good_file_is_printed_when_another_in_the_run_is_bad(tmp_path, capsys):
    bad = write(tmp_path / "broken.txt", b"\xff\xfe\x00garbage \xc3\x28")
    good = write(tmp_path / "harbour.txt", GOOD)
    rc, out, err = run_cli(capsys, "analyze", str(bad), str(good), str(tmp_path / "gone.txt"))
    assert rc != 0
    (obj,) = analyses(out)
    check_analysis(obj, GOOD, "harbour")
    assert len(obj["quotes"]) == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("quoteframe: error:") for line in lines)
    assert "broken.txt" in lines[0] and "gone.txt" in lines[1]


# -- analyze: large, messy and foreign input ---------------------------------------------
_NAMES = ["Helen Osei", "Marek Zielinski", "Lucia Ferreira", "Tomas Ribeiro", "Priya Nair", "Carl Jensen"]
_PLACES = ["Gdansk", "Porto", "Leeds", "Tallinn", "Ostrava", "Malmo", "Cork"]
_TOPICS = ["the harbour", "the rail line", "the hospital", "the school", "the dam", "the bridge"]


def _paragraph(i: int) -> tuple[str, str | None]:
    """Paragraph ``i`` of the large article, and the direct quote it carries (if any)."""
    name, place, topic = _NAMES[i % 6], _PLACES[i % 7], _TOPICS[i % 5]
    n = 3 + i % 40
    kind = i % 6
    if kind == 0:
        quote = f"We will keep {topic} in {place} open for {n} more days,"
        return f"“{quote}” {name} said on Friday.", quote
    if kind == 1:
        return (f"Officials in {place} said {n} families had been moved away from {topic} "
                f"after the storm, and that more would follow."), None
    if kind == 2:
        quote = f"Nobody told us that {topic} would close. We found out from the radio,"
        return f'"{quote}" said {name}, who has lived in {place} for {n} years.', quote
    if kind == 3:
        return (f"The council of {place} met for {n} minutes on Tuesday and adjourned the debate on "
                f"{topic} until the spring, when the new budget is due."), None
    if kind == 4:
        return (f"Repairs to {topic} will cost {n} million euros, according to the regional "
                f"authority in {place}."), None
    quote = f"The workers of {place} have waited {n} weeks for an answer."
    return f"{name} said: “{quote}”", quote


def test_one_megabyte_article_gives_valid_output_with_correct_offsets(tmp_path, capsys):
    paragraphs, expected, size, i = [], [], 0, 0
    while size < 1_000_000:
        para, quote = _paragraph(i)
        if quote is not None:
            start = size + para.index(quote)
            expected.append((start, start + len(quote)))
        paragraphs.append(para)
        size += len(para) + 2
        i += 1
    text = "\n\n".join(paragraphs) + "\n\n"
    assert len(text) >= 1_000_000
    for a, b in expected[:50] + expected[-50:]:  # the expected offsets are right
        assert text[a - 1] in "“\"" and text[b] in "”\""
    path = write(tmp_path / "long.txt", text)

    rc, out, err = run_cli(capsys, "analyze", "--no-labels", str(path))
    assert rc == 0, err
    (obj,) = analyses(out)
    check_analysis(obj, text, "long")
    found = {(q["start"], q["end"]) for q in obj["quotes"]}
    missing = [text[a:b] for a, b in expected if (a, b) not in found]
    assert not missing, f"{len(missing)} of {len(expected)} direct quotes missed, e.g. {missing[:3]}"
    assert max(q["end"] for q in obj["quotes"]) > len(text) - 1_000  # the end of the article is read too


def test_html_entity_soup_gives_valid_output(tmp_path, capsys):
    text = ("&quot;Hello&quot; &amp;amp; &lt;p&gt; said &lt;b&gt;Jan&lt;/b&gt; &#8220;ok&#8221; &nbsp;&nbsp;\n"
            '<div class="story">&quot;We will not pay the fine,&quot; the mayor said.</div>\n'
            "&lt;/p&gt;&amp;&amp;&amp; &#x27; &#0; &unknown; <<<>>> \"\" '' “” ”“\n")
    path = write(tmp_path / "soup.txt", text)
    rc, out, err = run_cli(capsys, "analyze", str(path))
    assert rc == 0, err
    assert "error" not in err
    (obj,) = analyses(out)
    check_analysis(obj, text, "soup")


@pytest.mark.parametrize(
    "text",
    [
        "Minister Anna Kowalska powiedziała: „Granica pozostanie zamknięta do odwołania”. "
        "Straż Graniczna zatrzymała w nocy 40 osób.\n",
        "Пресс-секретарь Кремля Дмитрий Песков заявил: «Мы не видим оснований для паники». "
        "Учения продлятся до пятницы.\n",
        "外交部发言人表示：“我们希望各方保持克制。”会谈将于周五继续。\n",
    ],
    ids=["polish", "russian", "chinese"],
)
def test_non_english_text_gives_valid_output(tmp_path, capsys, text):
    path = write(tmp_path / "foreign.txt", text)
    rc, out, err = run_cli(capsys, "analyze", str(path))
    assert rc == 0, err
    assert "error" not in err
    (obj,) = analyses(out)
    check_analysis(obj, text, "foreign")


# -- evaluate -------------------------------------------------------------------------
def test_evaluate_on_the_seeds_prints_precision_recall_f1(seeds, capsys):
    rc, out, err = run_cli(capsys, "evaluate", "--gold", str(seeds))
    assert rc == 0, err
    assert "Traceback" not in err
    for metric in ("precision", "recall", "f1"):
        match = re.search(rf"^\s*{metric}\s+([01]\.\d{{3}})\b", out, re.MULTILINE)
        assert match, f"no {metric} line in the report:\n{out}"
        assert 0.0 <= float(match.group(1)) <= 1.0
    n_articles = len(list(seeds.glob("*.gold.jsonl")))
    assert f"{n_articles} articles" in out


def test_the_analysing_bar_counts_articles_as_their_analyses_come_back(capsys):
    from quoteframe.cli.options import progress

    done = []
    results = (done.append(i) or i for i in range(6))  # an analyzer's output, produced on demand
    for seen, _ in enumerate(progress(results, "analysing", total=6), start=1):
        assert len(done) == seen  # the bar never runs ahead of the work
    assert "6/6" in capsys.readouterr().err


def test_evaluate_on_a_missing_folder_gives_one_clear_error(tmp_path, capsys):
    gone = tmp_path / "no-such-gold"
    rc, out, err = run_cli(capsys, "evaluate", "--gold", str(gone))
    assert rc != 0
    assert_one_clear_error(err, "no-such-gold")



# -- evaluate on saved predictions ------------------------------------------------------
FERRY = "Captain Lena Moss said that the ferry would sail on Sunday. Port officials said the quay was unsafe."
REFERENCE_KEYS = {"quote_precision", "quote_recall", "quote_f1", "speaker_acc", "actor_acc", "frame_acc",
                  "frame_acceptable", "frame_macro_f1", "target_acc", "stance_acc", "tag_acc_of_matched",
                  "tag_recall"}


def _ferry(tmp_path: Path) -> tuple[Path, Path]:
    """A one-article gold folder and a saved analysis of it (one quote found of two)."""
    gold = tmp_path / "gold"
    gold.mkdir()
    write(gold / "ferry.txt", FERRY)
    lines = []
    for fragment, speaker, frame, target in [("the ferry would sail on Sunday", "Lena Moss", "neutral", None),
                                             ("the quay was unsafe", "Port officials", "threat", "the West")]:
        start = FERRY.index(fragment)
        lines.append(json.dumps({"text": fragment, "start": start, "end": start + len(fragment), "speaker": speaker,
                                 "speaker_actor": "Norway", "frame": frame, "frames": [frame], "target": target,
                                 "stance": None if target is None else "against"}))
    write(gold / "ferry.gold.jsonl", "\n".join(lines) + "\n")
    start = FERRY.index("the ferry")
    quote = {"text": "the ferry would sail on Sunday", "start": start, "end": start + 30, "frame": "neutral",
             "target": None, "stance": None, "speaker": {"name": "Moss", "actor": "Norway"}}
    pred = write(tmp_path / "pred.jsonl", json.dumps({"id": "ferry", "model": {"labels": ["neutral"]},
                                                      "quotes": [quote]}) + "\n")
    return gold, pred


def test_evaluate_scores_saved_predictions_with_the_reference_keys(tmp_path, capsys):
    gold, pred = _ferry(tmp_path)
    out_json = tmp_path / "metrics.json"
    rc, out, err = run_cli(capsys, "evaluate", "--gold", str(gold), "--predictions", str(pred), "--json", str(out_json))
    assert rc == 0, err
    metrics = json.loads(out_json.read_text(encoding="utf-8"))
    assert REFERENCE_KEYS <= set(metrics)
    assert (metrics["quote_precision"], metrics["quote_recall"], metrics["quote_f1"]) == (1.0, 0.5, 0.667)
    assert (metrics["speaker_acc"], metrics["frame_acc"], metrics["tag_acc_of_matched"], metrics["tag_recall"]) == (
        1.0, 1.0, 1.0, 0.5)
    assert re.search(r"^\s*tag recall\s+0\.500", out, re.MULTILINE), out
    assert "articles/s" not in out  # nothing was analysed


def test_evaluate_without_labels_says_not_measured(tmp_path, capsys):
    gold, pred = _ferry(tmp_path)
    out_json = tmp_path / "metrics.json"
    rc, out, err = run_cli(capsys, "evaluate", "--gold", str(gold), "--predictions", str(pred), "--no-labels",
                           "--json", str(out_json))
    assert rc == 0, err
    metrics = json.loads(out_json.read_text(encoding="utf-8"))
    assert metrics["frame_acc"] is None and metrics["tag_recall"] is None
    assert metrics["speaker_acc"] == 1.0
    assert re.search(r"^\s*primary frame\s+not measured", out, re.MULTILINE), out


def test_evaluate_notes_articles_missing_from_the_predictions(tmp_path, capsys):
    gold, _pred = _ferry(tmp_path)
    empty = write(tmp_path / "empty.jsonl", "")
    rc, out, err = run_cli(capsys, "evaluate", "--gold", str(gold), "--predictions", str(empty))
    assert rc == 0, err
    assert "no analysis for 1 of 1 article(s) (ferry)" in err
    assert re.search(r"^\s*recall\s+0\.000", out, re.MULTILINE), out


@pytest.mark.parametrize(
    ("extra", "named"),
    [(["--speech-only"], "--speech-only"), (["--predictions", "BAD"], "pred.jsonl:2")],
)
def test_evaluate_bad_options_give_one_clear_error(tmp_path, capsys, extra, named):
    gold, pred = _ferry(tmp_path)
    write(pred, pred.read_text(encoding="utf-8") + "not json\n")
    extra = [str(pred) if arg == "BAD" else arg for arg in extra]
    rc, out, err = run_cli(capsys, "evaluate", "--gold", str(gold), *extra)
    assert rc != 0
    assert_one_clear_error(err, named)


def test_evaluate_predictions_need_gold(tmp_path, capsys):
    _gold, pred = _ferry(tmp_path)
    rc, out, err = run_cli(capsys, "evaluate", "--labels", str(pred), "--predictions", str(pred))
    assert rc != 0
    assert_one_clear_error(err, "--predictions")
