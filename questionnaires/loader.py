"""Read questionnaire YAML files, check them and turn them into canonical, hashable data.

Every problem is reported with the file, the question (or page) and a plain explanation, so a
council officer can fix a file without reading Python. The checks themselves are in
`questionnaires.checker`; files are read with `questionnaires.yamlsafe`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from questionnaires import yamlsafe
from questionnaires.checker import Checker
from questionnaires.checking import Problem, QuestionnaireError, slug
from questionnaires.model import Questionnaire

__all__ = [
    "HERE",
    "Problem",
    "QuestionnaireError",
    "check_measures",
    "content_hash",
    "load_area_lists",
    "load_file",
    "load_questionnaire",
    "parse",
    "parsed_once",
    "questionnaire_files",
    "read_yaml",
    "slug",
    "validate_paths",
]

HERE = Path(__file__).resolve().parent


def read_yaml(path: Path) -> Any:
    """Parse a YAML file with yes/no kept as text (no aliases, size capped: see `questionnaires.yamlsafe`)."""
    return yamlsafe.load_path(path, yes_no_as_text=True)


def load_area_lists(folder: Path | None = None) -> dict[str, dict]:
    """Every area list in an `areas/` folder (the shipped one by default), by name."""
    folder = folder or HERE / "areas"
    lists = {}
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path) or {}
        lists[str(data.get("name", path.stem))] = data
    return lists


def content_hash(definition: dict) -> str:
    """Fingerprint of a questionnaire's meaning: whitespace and comments in the file don't count."""
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def questionnaire_files(folder: Path = HERE) -> list[Path]:
    """The questionnaire files shipped in a folder."""
    return sorted(folder.glob("*.yaml"))


def parse(
    raw: Any, name: str, areas: dict[str, dict] | None = None, symbols: frozenset[str] | None = None
) -> tuple[dict, list[Problem]]:
    """Check raw questionnaire data; return its canonical form and every problem found."""
    checker = Checker(name, load_area_lists() if areas is None else areas, symbols)
    definition = checker.questionnaire(raw)
    return definition, checker.problems


def load_file(path: Path, areas: dict[str, dict] | None = None) -> tuple[dict, list[Problem]]:
    """Read and check one questionnaire file."""
    try:
        raw = read_yaml(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        if isinstance(exc, yamlsafe.YamlRefused):
            return {}, [Problem(path.name, where, f"this file was not read: {exc.problem}")]
        return {}, [Problem(path.name, where, f"this is not valid YAML ({getattr(exc, 'problem', exc)})")]
    return parse(raw, path.name, areas)


def check_measures(definitions: dict[str, dict]) -> list[Problem]:
    """Questions sharing a measure across files must share answer values, or they can't be compared."""
    problems = []
    first: dict[str, tuple[str, str, set[str]]] = {}
    for name, definition in definitions.items():
        for page in definition.get("pages", []):
            for q in page["questions"]:
                if "measure" not in q:
                    continue
                values = {o["value"] for o in q.get("options", []) if not o.get("special")}
                if q["measure"] in first:
                    other_file, other_key, other_values = first[q["measure"]]
                    if values != other_values:
                        problems.append(
                            Problem(
                                name,
                                f"question '{q['key']}'",
                                f"measure '{q['measure']}' has answers {sorted(values)} here but "
                                f"{sorted(other_values)} in {other_file} ('{other_key}'): "
                                "questions with one measure must share answer values",
                            )
                        )
                else:
                    first[q["measure"]] = (name, q["key"], values)
    return problems


def validate_paths(paths: list[Path], area_folder: Path | None = None) -> tuple[dict[str, dict], list[Problem]]:
    """Check several files together (including shared measures); return definitions by file name.

    Area lists come from `area_folder`, else from an `areas/` folder beside the first file, else
    from the shipped ones.
    """
    definitions, problems = {}, []
    if area_folder is None and paths and (paths[0].parent / "areas").is_dir():
        area_folder = paths[0].parent / "areas"
    areas = load_area_lists(area_folder)
    for path in paths:
        definition, found = load_file(path, areas)
        definitions[path.name] = definition
        problems += found
    ids: dict[str, str] = {}
    for name, definition in definitions.items():
        qid = definition.get("id")
        if qid and qid in ids:
            problems.append(Problem(name, "top of file", f"id '{qid}' is already used by {ids[qid]}"))
        elif qid:
            ids[qid] = name
    problems += check_measures(definitions)
    return definitions, problems


def load_questionnaire(path: Path) -> Questionnaire:
    """Read one file into a Questionnaire, raising QuestionnaireError if it has problems."""
    definition, problems = load_file(path)
    if problems:
        raise QuestionnaireError(problems)
    return Questionnaire.from_dict(definition)


#: Questionnaires already built in this process, by (questionnaire id, content hash). A stored version
#: never changes (its hash is its meaning), so one built object serves every request and thread.
_PARSED: dict[tuple[str, str], Questionnaire] = {}
_PARSED_LOCK = threading.Lock()
#: Far more than any deployment loads; a bound so a long-lived process holding many test databases
#: cannot grow without limit.
_PARSED_MOST = 256


def parsed_once(key: tuple[str, str], definition: Callable[[], Mapping[str, Any]]) -> Questionnaire:
    """The Questionnaire for a stored version, built from `definition()` only the first time in this process.

    `key` must identify the definition's meaning exactly (the questionnaire id and its content hash);
    `definition` is called only on a miss, so a caller can leave the stored JSON unread.
    """
    found = _PARSED.get(key)
    if found is not None:
        return found
    with _PARSED_LOCK:
        found = _PARSED.get(key)
        if found is None:
            found = Questionnaire.from_dict(definition())
            if len(_PARSED) >= _PARSED_MOST:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[key] = found
        return found
