"""Exercises with immediate feedback: ``check("01.2", answer)``; for marks, ``grade("01.2", answer)``.

The expected answers are stored sealed in ``course_lib/assets/answers/<notebook>.json``: a
salted SHA-256 digest of the canonical answer, and the explanation shown with "Correct!"
encrypted with a key derived from that answer, so neither can be read before the answer is
right. Hints, and targeted messages for the misreadings instructors expect, are plain text:
they must not give the answer away. (A determined learner could still guess a small number by
trial: this keeps honest learners honest; answers for marks are nbgrader's business, see
``teaching/GRADING.md``.) The plain texts live with the instructors' material in
``notebooks/answers/``; ``make answers`` seals them with the answers the solutions compute.

Answers are compared in a canonical form, the same for every exercise: whole numbers exactly
(``2014`` and ``"2014"`` alike); other numbers rounded to the exercise's ``decimals``; text
ignoring case, accents, punctuation and spacing; a group's name or alias as its id where the
answer is a group; lists and sets as sets. A *coding* exercise takes a dict (``relation``,
``level``, ``start``, ``evidence_level`` ...) and is checked field by field against the
curators' coding, each disagreement with its own hint.

Examples
--------
>>> check("00.1", "seven")  # doctest: +ELLIPSIS
Not yet: the answer is a number. Hint: ...
>>> check("00.1", ...)
No answer yet: replace ... with your answer, then run the cell again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import numbers
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Feedback", "check", "grade", "seal"]

ANSWERS_DIR = Path(__file__).resolve().parent / "assets" / "answers"
SALT = "course-lib-exercises-v2"
WORDS = {
    "num": "a number",
    "text": "a word or a name",
    "group": "a group id",
    "set": "a list",
    "bool": "True or False",
    "coding": "a dict of the row's fields",
}


@dataclass(frozen=True)
class Feedback:
    """The result of :func:`check`: ``correct`` and a message for the learner."""

    correct: bool
    message: str

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return self.correct


# ----------------------------------------------------------------------------- canonical forms
class _Unusable(Exception):
    """The answer is of a form no exercise takes (the message says what to do)."""


def _group_id(text: str) -> str | None:
    from .groups import UnknownGroupError, resolve_group

    try:
        return resolve_group(text)
    except (UnknownGroupError, ValueError):
        return None


def _scalar(answer: Any, keep_list: bool = False) -> Any:
    """A one-value pandas or numpy object (or one-item list) as that value; tables and arrays as lists."""
    if hasattr(answer, "columns"):
        raise _Unusable("the answer is a table; answer with a value (use len(...), .iloc[0] or .tolist())")
    if hasattr(answer, "tolist") and not isinstance(answer, (str, bytes)):
        answer = answer.tolist()
    if (
        not keep_list
        and isinstance(answer, list)
        and len(answer) == 1
        and not isinstance(answer[0], (list, tuple, set))
    ):
        return answer[0]
    return answer


def recordable(answer: Any) -> Any:
    """``answer`` as JSON values, for ``make answers`` to seal: numpy and pandas values as Python
    ones, missing values (NaN, ``pd.NA``, ``pd.NaT``, ``...``) as ``None``, dicts and lists item by item.

    >>> import numpy as np
    >>> recordable({"killed_low": np.int64(5), "killed_high": float("nan"), "ids": np.array(["a"])})
    {'killed_low': 5, 'killed_high': None, 'ids': ['a']}
    """
    if isinstance(answer, dict):
        return {k: recordable(v) for k, v in answer.items()}
    if hasattr(answer, "tolist") and not isinstance(answer, (str, bytes)):
        answer = answer.tolist()
    if isinstance(answer, (list, tuple, set)):
        return [recordable(v) for v in answer]
    if answer is None or answer is ... or _missing(answer):
        return None
    return answer


def _missing(value: Any) -> bool:
    """NaN, ``pd.NA`` or ``pd.NaT`` (without importing pandas)."""
    return (isinstance(value, float) and math.isnan(value)) or type(value).__name__ in ("NAType", "NaTType")


def canonical(answer: Any, kind: str, decimals: int = 2) -> str:
    """The form in which ``answer`` is compared, for an exercise whose answer is of ``kind``.

    >>> canonical("2014", "num"), canonical(2014.0, "num"), canonical(" ISIS ", "group")
    ('num:2014', 'num:2014', 'text:islamic_state')
    >>> canonical(["AQIM", "isk"], "set")
    'set:text:aqim|text:isk'
    """
    from .groups import normalise_name

    answer = _scalar(answer, keep_list=kind == "set")
    if answer is None or _missing(answer):
        raise _Unusable("the answer is empty (None or NaN)")
    if isinstance(answer, dict):
        raise _Unusable("a dict answers only a coding exercise")
    if isinstance(answer, (list, tuple, set, frozenset)):
        item_kind = "group" if kind == "set" else kind
        return "set:" + "|".join(sorted({canonical(a, item_kind, decimals) for a in answer}))
    if isinstance(answer, bool):
        return f"bool:{answer}"
    if isinstance(answer, str) and kind == "num" and re.fullmatch(r"-?\d[\d,]*(\.\d+)?", answer.strip()):
        answer = float(answer.strip().replace(",", ""))
    if isinstance(answer, numbers.Real):
        value = float(answer)
        if not math.isfinite(value):
            raise _Unusable("the answer is not a finite number")
        value = round(value, decimals)
        return f"num:{int(value)}" if value == int(value) else f"num:{value:.{decimals}f}"
    if isinstance(answer, str):
        if kind in ("group", "set"):
            gid = _group_id(answer)
            if gid is not None:
                return f"text:{gid}"
        return f"text:{normalise_name(answer)}"
    raise _Unusable(f"answer with a number, a name or a list of names, not a {type(answer).__name__}")


# ----------------------------------------------------------------------------- sealing
def _digest(question_id: str, canonical_form: str) -> str:
    return hashlib.sha256(f"{SALT}:{question_id}:{canonical_form}".encode()).hexdigest()


def _keystream(key: bytes, n: int) -> bytes:
    blocks = (hashlib.sha256(key + i.to_bytes(4, "big")).digest() for i in range((n + 31) // 32))
    return b"".join(blocks)[:n]


def _crypt(question_id: str, canonical_form: str, data: bytes) -> bytes:
    key = hashlib.sha256(f"{SALT}:{question_id}:explain:{canonical_form}".encode()).digest()
    return bytes(a ^ b for a, b in zip(data, _keystream(key, len(data))))


def _lock(question_id: str, canonical_form: str, text: str) -> str:
    return base64.b64encode(_crypt(question_id, canonical_form, text.encode())).decode()


def _unlock(question_id: str, canonical_form: str, sealed: str) -> str:
    return _crypt(question_id, canonical_form, base64.b64decode(sealed)).decode("utf-8", errors="replace")


def seal(question_id: str, answer: Any, plain: dict) -> dict:
    """The stored form of an exercise: ``plain`` (kind, hint, explain, decimals, misreadings, or
    per-field ``fields`` for a coding exercise) with its answer sealed.

    >>> entry = seal("99.1", 42, {"kind": "num", "hint": "count them", "explain": "Well done."})
    >>> "42" in json.dumps(entry), entry["explain"] != "Well done."
    (False, True)
    """
    if plain.get("kind") == "coding":
        fields = {}
        for name, spec in plain["fields"].items():
            form = _field_form(answer.get(name))
            fields[name] = {
                "digest": _digest(f"{question_id}.{name}", form),
                "hint": spec["hint"],
                "explain": _lock(f"{question_id}.{name}", form, spec.get("explain", "")),
            }
        return {"kind": "coding", "hint": plain["hint"], "fields": fields}
    kind, decimals = plain["kind"], plain.get("decimals", 2)
    form = canonical(answer, kind, decimals)
    entry = {
        "kind": kind,
        "decimals": decimals,
        "digest": _digest(question_id, form),
        "hint": plain["hint"],
        "explain": _lock(question_id, form, plain.get("explain", "")),
    }
    if kind == "set":
        entry["size"] = len(form.split(":", 1)[1].split("|"))
    misreadings = {}
    for wrong in plain.get("misreadings", []):
        misreadings[_digest(question_id, canonical(wrong["answer"], kind, decimals))] = wrong["message"]
    if misreadings:
        entry["misreadings"] = misreadings
    return entry


def _field_form(value: Any) -> str:
    """A coding field's value as compared: numbers as numbers (``32``, ``32.0``, ``"32"`` alike),
    anything else as normalised text; ``None``, ``...`` and ``""`` as empty.

    >>> _field_form(32.0) == _field_form("32") == _field_form(32), _field_form(None), _field_form("Armed assault")
    (True, 'empty', 'armedassault')
    """
    from .groups import normalise_name

    value = _scalar(value)
    if value is None or value is ... or _missing(value) or value == "":
        return "empty"
    if isinstance(value, str) and re.fullmatch(r"-?\d[\d,]*(\.\d+)?", value.strip()):
        value = float(value.strip().replace(",", ""))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return canonical(value, "num")
    return normalise_name(str(value))


# ----------------------------------------------------------------------------- checking
def _entry(question_id: str) -> dict | None:
    path = ANSWERS_DIR / f"{str(question_id).split('.', 1)[0]}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")).get(question_id)
    except (OSError, ValueError):
        return None


def _check_coding(question_id: str, entry: dict, answer: Any) -> Feedback:
    fields = entry["fields"]
    if not isinstance(answer, dict):
        return Feedback(
            False,
            f"Not yet: code the passage as a dict with the fields {', '.join(fields)}. Hint: {entry['hint']}",
        )
    unknown = [k for k in answer if k not in fields]
    missing = [k for k in fields if k not in answer]
    if unknown or missing:
        parts = (
            [f"fields the exercise does not ask for: {', '.join(map(str, unknown))}"] if unknown else []
        ) + ([f"fields missing: {', '.join(missing)}"] if missing else [])
        return Feedback(False, f"Not yet: {'; '.join(parts)}. Fill in: {', '.join(fields)}.")
    lines, right = [], 0
    for name, spec in fields.items():
        form = _field_form(answer[name])
        if _digest(f"{question_id}.{name}", form) == spec["digest"]:
            right += 1
            why = _unlock(f"{question_id}.{name}", form, spec["explain"])
            lines.append(f"  ✓ {name}: as the curators coded it. {why}".rstrip())
        else:
            lines.append(f"  ✗ {name}: the curators coded it otherwise. {spec['hint']}")
    correct = right == len(fields)
    head = (
        "Correct! Your coding agrees with the curators' on every field."
        if correct
        else (f"Not yet: {right} of {len(fields)} fields agree with the curators' coding.")
    )
    return Feedback(correct, "\n".join([head, *lines]))


def check(question_id: str, answer: Any) -> Feedback:
    """Check ``answer`` to exercise ``question_id``: whether it is right, with a hint if not.

    It never raises: an answer of an unexpected form, or an unknown exercise, is feedback too.
    """
    entry = _entry(question_id) if isinstance(question_id, str) else None
    if entry is None:
        return Feedback(
            False, f"There is no exercise {question_id!r}: check the number in the exercise's title."
        )
    if answer is ...:
        return Feedback(False, "No answer yet: replace ... with your answer, then run the cell again.")
    if entry["kind"] == "coding":
        return _check_coding(question_id, entry, answer)
    try:
        form = canonical(answer, entry["kind"], entry.get("decimals", 2))
    except _Unusable as why:
        return Feedback(False, f"Not yet: {why}. The answer is {WORDS[entry['kind']]}. Hint: {entry['hint']}")
    if _digest(question_id, form) == entry["digest"]:
        return Feedback(True, f"Correct! {_unlock(question_id, form, entry['explain'])}".strip())
    given = form.split(":", 1)[0]
    expected = "text" if entry["kind"] == "group" else entry["kind"]
    if given != expected:
        return Feedback(False, f"Not yet: the answer is {WORDS[entry['kind']]}. Hint: {entry['hint']}")
    targeted = entry.get("misreadings", {}).get(_digest(question_id, form))
    if targeted:
        return Feedback(False, f"Not yet: {targeted} Hint: {entry['hint']}")
    if expected == "set":
        n = len(form.split(":", 1)[1].split("|"))
        if n != entry["size"]:
            return Feedback(
                False,
                f"Not yet: you gave {n} item{'s' if n != 1 else ''}; the answer has "
                f"{entry['size']}. Hint: {entry['hint']}",
            )
    return Feedback(False, f"Not yet. Hint: {entry['hint']}")


def grade(question_id: str, answer: Any) -> Feedback:
    """:func:`check` for nbgrader's test cells: when nbgrader grades (``NBGRADER_EXECUTION`` is set),
    a wrong or missing answer fails the cell (no points); otherwise the feedback is shown."""
    feedback = check(question_id, answer)
    if not feedback and os.environ.get("NBGRADER_EXECUTION"):
        raise AssertionError(feedback.message)
    return feedback
