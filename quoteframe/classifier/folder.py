"""What a model folder records beside its weights: its format version and the gazetteer it was trained with.

A quote's target candidates are the gazetteer's actors named in its article,
so a model must read articles with the gazetteer it learned from, or it is
shown candidates it never saw (train/serve skew). ``quoteframe train --actors
FILE`` copies each extra actor file into the folder (``actors/``) and lists it
with its sha256 in config.json's ``quoteframe`` section; loading the folder
applies them (after the bundled ``actors.toml``), and a user's own
``--actors`` files extend them.

Format 1 is a folder written before this record (the bundled gazetteer only);
format 2 has ``format`` and ``gazetteer`` in the section.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> extra = folder / "mine.toml"
>>> _ = extra.write_text('[actors."Moldova"]\\naliases = ["Chisinau"]\\n', "utf-8")
>>> section = write_gazetteer(folder / "model", [extra])
>>> section["format"], section["gazetteer"][0]["file"]
(2, 'actors/01-mine.toml')
>>> [p.name for p in gazetteer_files(folder / "model", section)]
['01-mine.toml']
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any, Sequence

from quoteframe.errors import ModelFolderError

FORMAT = 2
KNOWN_FORMATS = (1, FORMAT)
ACTORS_DIR = "actors"


def write_gazetteer(folder: str | Path, files: Sequence[str | Path]) -> dict[str, Any]:
    """Copy the extra actor ``files`` into ``folder/actors/`` (in order: a later one overrides an
    earlier one) and return the section entries that record them: ``format`` and ``gazetteer``."""
    folder = Path(folder)
    contents = [(Path(f).name, Path(f).read_bytes()) for f in files]  # all read first: a file may be in folder
    shutil.rmtree(folder / ACTORS_DIR, ignore_errors=True)
    entries = []
    for i, (name, data) in enumerate(contents, 1):
        relative = f"{ACTORS_DIR}/{i:02d}-{name}"
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
        entries.append({"file": relative, "sha256": hashlib.sha256(data).hexdigest()})
    return {"format": FORMAT, "gazetteer": entries}


def gazetteer_files(folder: str | Path, section: dict[str, Any]) -> list[Path]:
    """The extra actor files that the model in ``folder`` was trained with, in order, each
    checked against its recorded sha256. Raises ``ModelFolderError`` (QF-E103 to QF-E106)
    for a folder that does not match its record."""
    folder = Path(folder)
    found = section.get("format", 1)
    if found not in KNOWN_FORMATS:
        raise ModelFolderError("QF-E103", folder=folder, found=found, known=", ".join(map(str, KNOWN_FORMATS)))
    paths = []
    for entry in section.get("gazetteer") or ():
        try:
            path, expected = folder / entry["file"], str(entry["sha256"])
        except (TypeError, KeyError):
            raise ModelFolderError("QF-E106", folder=folder,
                                   detail=f"config.json's gazetteer entry {entry!r} has no file and sha256") from None
        if not path.is_file():
            raise ModelFolderError("QF-E104", folder=folder, file=entry["file"])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != expected:
            raise ModelFolderError("QF-E105", folder=folder, file=entry["file"], found=digest, expected=expected)
        paths.append(path)
    return paths
