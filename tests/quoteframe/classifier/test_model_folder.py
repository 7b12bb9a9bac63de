"""A model folder describes itself: it keeps the gazetteer it was trained with, loading it applies
that gazetteer (a user's ``--actors`` files extend it), and a folder that does not match its record
gets a catalogued error naming the fix: one line and exit 2 on the CLI, 422 on a reload."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from quoteframe.analyzer import load_analyzer
from quoteframe.cli import main
from quoteframe.errors import MODEL_FOLDER_ERRORS
from service.app import create_app
from service.settings import Settings
from tests.tiny_model import EXTRA_ACTORS, EXTRA_ARTICLE, make_tiny_model


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "freedonia.txt"
    path.write_text(EXTRA_ARTICLE, encoding="utf-8")
    return path


def analyze(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["analyze", *args])
    out, err = capsys.readouterr()
    return code, out, err


# -- the gazetteer travels with the model ------------------------------------------------------------
@pytest.mark.slow  # a real training run (the session's actors_model)
def test_train_keeps_the_extra_actor_file_and_its_hash_in_the_folder(actors_model):
    model, actors = actors_model
    section = json.loads((model / "config.json").read_text(encoding="utf-8"))["quoteframe"]
    assert section["format"] == 2
    (entry,) = section["gazetteer"]
    assert (model / entry["file"]).read_bytes() == actors.read_bytes()
    assert entry["sha256"] == hashlib.sha256(actors.read_bytes()).hexdigest()
    assert json.loads((model / "training_args.json").read_text(encoding="utf-8"))["actors"] == [str(actors)]


@pytest.mark.slow  # a real training run (the session's actors_model)
def test_loaded_without_its_actors_file_the_model_reads_articles_as_with_it(actors_model, article, capsys):
    model, actors = actors_model
    code, without, _ = analyze(capsys, "--model", str(model), str(article))
    assert code == 0
    assert analyze(capsys, "--model", str(model), "--actors", str(actors), str(article))[1] == without
    sides = [q["speaker"]["actor"] for q in json.loads(without)["quotes"]]
    assert {"Freedonia", "Sylvania"} <= set(sides), sides
    # without the model, nothing brings the file: the bundled gazetteer knows neither country
    bare = json.loads(analyze(capsys, "--no-labels", str(article))[1])
    assert not {"Freedonia", "Sylvania"} & {q["speaker"]["actor"] for q in bare["quotes"]}
    # and both are target candidates of the model, as they were in training
    gazetteer = load_analyzer(model).classifier.gazetteer
    assert [m.actor for m in gazetteer.find("Sylvania and Freedonia")] == ["Sylvania", "Freedonia"]


@pytest.mark.slow  # a real training run (the session's actors_model)
def test_a_users_actors_file_extends_the_models_gazetteer(actors_model, article, tmp_path, capsys):
    model, _ = actors_model
    mine = tmp_path / "mine.toml"
    mine.write_text('[actors."Grand Fenwick"]\nkind = "country"\naliases = ["Grand Fenwick", "Tully Bascomb"]\n',
                    encoding="utf-8")
    article.write_text(EXTRA_ARTICLE + " “We want no part of it,” Tully Bascomb said.", encoding="utf-8")
    code, out, _ = analyze(capsys, "--model", str(model), "--actors", str(mine), str(article))
    assert code == 0
    sides = [q["speaker"]["actor"] for q in json.loads(out)["quotes"]]
    assert sides[-1] == "Grand Fenwick" and {"Freedonia", "Sylvania"} <= set(sides)


# -- folders that do not match their record ------------------------------------------------------------
@pytest.fixture
def folder(tmp_path) -> Path:
    """A (random-weight) model folder recorded as trained with an extra actor file."""
    actors = tmp_path / "freedonia.toml"
    actors.write_text(EXTRA_ACTORS, encoding="utf-8")
    return make_tiny_model(tmp_path / "model", actors=[actors])


def _remove_the_actor_file(folder: Path) -> None:
    next((folder / "actors").glob("*.toml")).unlink()


def _edit_the_actor_file(folder: Path) -> None:
    path = next((folder / "actors").glob("*.toml"))
    path.write_text(path.read_text(encoding="utf-8").replace("Rufus Firefly", "Rufus T. Firefly"), encoding="utf-8")


def _set_an_unknown_format(folder: Path) -> None:
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config["quoteframe"]["format"] = 99
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")


DAMAGE = [(_remove_the_actor_file, "QF-E104", "copy the model folder whole"),
          (_edit_the_actor_file, "QF-E105", "restore the file"),
          (_set_an_unknown_format, "QF-E103", "99")]


def check_one_line(err: str, code: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"quoteframe: error: {code}: ") and "(fix: " in err, err
    return err


def test_the_intact_folder_loads(folder, article, capsys):
    assert analyze(capsys, "--model", str(folder), str(article))[0] == 0


@pytest.mark.parametrize("damage, code, named", DAMAGE, ids=[c for _, c, _ in DAMAGE])
def test_a_folder_that_does_not_match_its_record_exits_2_with_its_code(folder, article, capsys, damage, code, named):
    damage(folder)
    status, out, err = analyze(capsys, "--model", str(folder), str(article))
    assert status == 2 and out == ""
    assert named in check_one_line(err, code)


def test_missing_models_exit_2_with_their_codes(tmp_path, article, monkeypatch, capsys):
    status, _, err = analyze(capsys, "--model", str(tmp_path / "nothing"), str(article))
    assert status == 2 and "nothing" in check_one_line(err, "QF-E101")
    monkeypatch.setenv("QUOTEFRAME_DEFAULT_MODEL", str(tmp_path / "not-built"))
    status, _, err = analyze(capsys, str(article))
    assert status == 2 and "quoteframe train --default" in check_one_line(err, "QF-E102")


def test_a_reload_to_a_folder_that_does_not_match_is_422_and_keeps_the_model(tiny_model, folder, tmp_path):
    _edit_the_actor_file(folder)
    settings = Settings(model=str(tiny_model), feedback_db=str(tmp_path / "fb.db"), api_token="folder-token")
    with TestClient(create_app(settings)) as c:
        r = c.post("/v1/model/reload", json={"model": str(folder)}, headers={"Authorization": "Bearer folder-token"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "model_error"
        assert r.json()["error"]["message"].startswith("QF-E105: ")
        assert c.post("/v1/analyze", json={"text": EXTRA_ARTICLE}).status_code == 200


def test_every_catalogued_code_says_what_is_wrong_and_the_fix():
    assert sorted(MODEL_FOLDER_ERRORS) == [f"QF-E10{i}" for i in range(1, 7)]
    assert all(what and fix for what, fix in MODEL_FOLDER_ERRORS.values())


# -- the default model is built once, whoever asks -------------------------------------------------
def test_two_builders_of_the_default_model_train_it_once(tmp_path, monkeypatch):
    """Two test workers (or two ``train --default``) asking at once: one trains, the other waits and uses it."""
    import threading
    import time

    from training import train as train_module

    folder = tmp_path / "models" / "default"
    monkeypatch.setenv("QUOTEFRAME_DEFAULT_MODEL", str(folder))
    runs = []

    def slow_train(args):
        runs.append(args.out)
        time.sleep(0.5)  # long enough for the other builder to arrive while this one trains
        Path(args.out).mkdir(parents=True, exist_ok=True)
        (Path(args.out) / "config.json").write_text("{}", encoding="utf-8")

    monkeypatch.setattr(train_module, "train", slow_train)
    built = []
    threads = [threading.Thread(target=lambda: built.append(train_module.build_default_model())) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert runs == [str(folder)] and sorted(built) == [False, True]
    assert train_module.build_default_model(force=True) and len(runs) == 2  # --force trains again
