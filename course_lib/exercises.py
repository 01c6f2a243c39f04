"""Exercises with immediate feedback: ``check("01.2", answer)``.

The expected answers are stored as salted SHA-256 digests in
``course_lib/assets/answers/<notebook>.json``, never as plain text, so a learner gets
feedback and a hint without being handed the answer. (A determined learner could still
guess small numbers by trial: this keeps honest learners honest, it is not security.)

Answers are compared in a canonical form: whole numbers exactly; other numbers rounded
to the exercise's ``decimals``; text ignoring case, accents, punctuation and spacing
(the same rule as :func:`course_lib.resolve_group`); lists and sets as sets of texts.

Examples
--------
>>> check("00.1", "seven")  # doctest: +ELLIPSIS
Not yet: the answer is a number. Hint: ...
>>> check("00.1", ...)
No answer yet: replace ... with your answer, then run the cell again.
"""

from __future__ import annotations

import hashlib
import json
import numbers
from dataclasses import dataclass
from pathlib import Path

from .groups import normalise_name

__all__ = ["Feedback", "check", "record", "refresh"]

ANSWERS_DIR = Path(__file__).resolve().parent / "assets" / "answers"
SALT = "course-lib-exercises-v1"


@dataclass(frozen=True)
class Feedback:
    """The result of :func:`check`: ``correct`` and a message for the learner."""

    correct: bool
    message: str

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return self.correct


def _canonical(answer: object, decimals: int) -> str:
    if isinstance(answer, bool):
        return f"bool:{answer}"
    if isinstance(answer, numbers.Integral):
        return f"num:{int(answer)}"
    if isinstance(answer, numbers.Real):
        value = round(float(answer), decimals)
        return f"num:{int(value)}" if value == int(value) else f"num:{value:.{decimals}f}"
    if isinstance(answer, str):
        return f"text:{normalise_name(answer)}"
    if isinstance(answer, (list, tuple, set, frozenset)):
        items = sorted({_canonical(a, decimals) for a in answer})
        return "set:" + "|".join(items)
    raise TypeError(
        f"answer with a number, a name or a list of names, not a {type(answer).__name__}"
        " (use len(...), .iloc[0] or .tolist() to turn a table into one)"
    )


def _digest(question_id: str, canonical: str) -> str:
    return hashlib.sha256(f"{SALT}:{question_id}:{canonical}".encode()).hexdigest()


def _file(question_id: str) -> Path:
    notebook = question_id.split(".", 1)[0]
    return ANSWERS_DIR / f"{notebook}.json"


def _load(question_id: str) -> dict:
    path = _file(question_id)
    entries = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if question_id not in entries:
        known = ", ".join(sorted(entries)) or "none"
        raise KeyError(f"no exercise {question_id!r}; exercises of this notebook: {known}")
    return entries[question_id]


def check(question_id: str, answer: object) -> Feedback:
    """Check ``answer`` to exercise ``question_id`` and say whether it is right, with a hint if not."""
    entry = _load(question_id)
    if answer is ...:
        return Feedback(False, "No answer yet: replace ... with your answer, then run the cell again.")
    try:
        canonical = _canonical(answer, entry.get("decimals", 2))
    except TypeError as err:
        return Feedback(False, f"Not yet: {err}.")
    if _digest(question_id, canonical) == entry["digest"]:
        return Feedback(True, f"Correct! {entry.get('explain', '')}".strip())
    expected_kind = entry["kind"]
    given_kind = canonical.split(":", 1)[0]
    if given_kind != expected_kind:
        words = {"num": "a number", "text": "a name", "set": "a list of names", "bool": "True or False"}
        return Feedback(False, f"Not yet: the answer is {words[expected_kind]}. Hint: {entry['hint']}")
    if expected_kind == "set":
        n = len(canonical.split(":", 1)[1].split("|"))
        if n != entry["size"]:
            gave = f"{n} item" + ("s" if n != 1 else "")
            message = f"Not yet: you gave {gave}; the answer has {entry['size']}. Hint: {entry['hint']}"
            return Feedback(False, message)
    return Feedback(False, f"Not yet. Hint: {entry['hint']}")


def record(question_id: str, answer: object, hint: str, explain: str = "", decimals: int = 2) -> None:
    """Store the digest of the expected answer (for authors; run once per exercise).

    ``hint`` is shown on a wrong answer and must not give the answer away; ``explain`` is
    shown with "Correct!".
    """
    canonical = _canonical(answer, decimals)
    kind = canonical.split(":", 1)[0]
    entry = {"kind": kind, "digest": _digest(question_id, canonical), "hint": hint, "decimals": decimals}
    if explain:
        entry["explain"] = explain
    if kind == "set":
        entry["size"] = len(canonical.split(":", 1)[1].split("|"))
    path = _file(question_id)
    entries = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    entries[question_id] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(entries, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def refresh(question_id: str, answer: object) -> None:
    """Store a new digest for an exercise already recorded, keeping its hint and explanation.

    ``make answers`` calls this with the value each solution cell computes, so that the
    expected answers follow the data without being written anywhere but the solutions.
    """
    entry = _load(question_id)
    extra = {"explain": entry["explain"]} if "explain" in entry else {}
    record(question_id, answer, hint=entry["hint"], decimals=entry.get("decimals", 2), **extra)
