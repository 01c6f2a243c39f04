"""check() and grade() give feedback; answers and explanations are stored sealed, never in plain text."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from course_lib import exercises
from course_lib.exercises import Feedback, check, grade, seal


@pytest.fixture
def store(tmp_path, monkeypatch):
    """Record exercises of the notebook "99" in a private answers folder: ``store("99.1", answer, {...})``."""
    monkeypatch.setattr(exercises, "ANSWERS_DIR", tmp_path)

    def record(qid, answer, plain):
        path = tmp_path / f"{qid.split('.')[0]}.json"
        entries = json.loads(path.read_text()) if path.exists() else {}
        entries[qid] = seal(qid, answer, {"hint": "look again", **plain})
        path.write_text(json.dumps(entries))
        return path

    return record


def test_right_and_wrong_answers_and_nothing_in_plain_text(store):
    path = store("99.1", 42, {"kind": "num", "hint": "count them", "explain": "Forty-two is the count."})
    assert check("99.1", 42).correct and str(check("99.1", 42)) == "Correct! Forty-two is the count."
    wrong = check("99.1", 41)
    assert not wrong and "Hint: count them" in repr(wrong)
    stored = path.read_text()
    assert "42" not in stored and "Forty-two" not in stored


def test_equivalent_forms_are_accepted(store):
    store("99.1", 2014, {"kind": "num"})
    assert (
        check("99.1", "2014").correct
        and check("99.1", 2014.0).correct
        and check("99.1", np.int64(2014)).correct
    )
    store("99.2", "armed_conflict", {"kind": "text"})
    assert check("99.2", "Armed conflict").correct and check("99.2", "ARMED-CONFLICT").correct
    store("99.3", "islamic_state", {"kind": "group"})
    assert check("99.3", "ISIS").correct and check("99.3", "The Islamic State").correct
    store("99.4", ["aqim", "isk"], {"kind": "set"})
    assert check("99.4", ("isk", "Al-Qaeda in the Islamic Maghreb")).correct


def test_sets_say_how_many_and_floats_are_rounded(store):
    store("99.1", ["isk", "ttp"], {"kind": "set"})
    assert "you gave 1 item; the answer has 2" in str(check("99.1", ["isk"]))
    store("99.2", 0.333333, {"kind": "num", "decimals": 2})
    assert check("99.2", 1 / 3).correct and not check("99.2", 0.3).correct


def test_a_misreading_gets_its_own_message(store):
    store(
        "99.1",
        "suspected",
        {
            "kind": "text",
            "misreadings": [
                {"answer": "reported", "message": "RAND's 'Reported' column is not the codebook's level."}
            ],
        },
    )
    assert "RAND's 'Reported' column" in str(check("99.1", "Reported"))
    assert "RAND" not in str(check("99.1", "verified"))


def test_a_coding_exercise_is_checked_field_by_field(store):
    coding = {
        "kind": "coding",
        "hint": "read the passage",
        "fields": {
            "relation": {"hint": "who does what to whom?", "explain": "'cooperate' is an alliance."},
            "level": {"hint": "look for 'tactical' or 'strategic'", "explain": "'on a tactical level'."},
        },
    }
    path = store("99.1", {"relation": "ally", "level": "tactical"}, coding)
    half = check("99.1", {"relation": "ally", "level": "strategic"})
    assert not half and "1 of 2 fields agree" in str(half)
    assert "✓ relation" in str(half) and "'cooperate'" in str(half) and "look for 'tactical'" in str(half)
    assert check("99.1", {"relation": "Ally", "level": "TACTICAL"}).correct
    assert "fields missing: level" in str(check("99.1", {"relation": "ally"}))
    assert "code the passage as a dict" in str(check("99.1", "ally"))
    assert "tactical'." not in path.read_text()


def test_grade_fails_only_under_nbgraders_autograder(store, monkeypatch):
    store("99.1", 7, {"kind": "num"})
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert not grade("99.1", ...) and grade("99.1", 7)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert grade("99.1", 7)
    with pytest.raises(AssertionError, match="No answer yet"):
        grade("99.1", ...)


def test_unknown_exercise_gets_feedback_not_an_error(store):
    store("99.1", 1, {"kind": "num"})
    for qid in ("99.9", "98.1", 99.1, None):
        feedback = check(qid, 1)
        assert isinstance(feedback, Feedback) and not feedback and "There is no exercise" in str(feedback)


ODD_ANSWERS = {
    "nan": float("nan"),
    "inf": float("inf"),
    "-inf": -math.inf,
    "None": None,
    "numpy int": np.int64(7),
    "numpy float": np.float64(7.0),
    "numpy float32 nan": np.float32("nan"),
    "numpy bool": np.bool_(True),
    "numpy array": np.array([7]),
    "Series": pd.Series([7]),
    "Index": pd.Index(["isk", "ttp"]),
    "DataFrame": pd.DataFrame({"n": [7]}),
    "empty DataFrame": pd.DataFrame(),
    "dict": {"answer": 7},
    "set of mixed types": {7, "isk", 2.5, None},
    "list with a nan": [7, float("nan")],
    "pd.NA": pd.NA,
    "NaT": pd.NaT,
    "bytes": b"7",
    "complex": complex(7, 0),
    "a class": int,
}


@pytest.mark.parametrize("answer", ODD_ANSWERS.values(), ids=ODD_ANSWERS.keys())
@pytest.mark.parametrize(
    "expected",
    [(7, "num"), ("isk", "group"), (["isk", "ttp"], "set"), (True, "bool")],
    ids=["number", "name", "names", "bool"],
)
def test_odd_answers_get_feedback_never_an_error(store, answer, expected):
    store("99.8", expected[0], {"kind": expected[1]})
    feedback = check("99.8", answer)
    assert isinstance(feedback, Feedback)
    assert str(feedback).startswith("Not yet") or feedback.correct


def test_odd_answers_are_told_what_went_wrong(store):
    store("99.9", 7, {"kind": "num"})
    assert "not a finite number" in str(check("99.9", float("inf")))
    assert "empty (None or NaN)" in str(check("99.9", float("nan")))
    assert ".tolist()" in str(check("99.9", pd.DataFrame({"n": [7]})))
    assert check("99.9", pd.Series([7])).correct
    assert "only a coding exercise" in str(check("99.9", {"answer": 7}))


def test_every_sealed_answer_has_a_hint_and_no_plain_explanation():
    files = sorted(exercises.ANSWERS_DIR.glob("*.json"))
    assert files
    for path in files:
        for qid, entry in json.loads(path.read_text()).items():
            assert qid.startswith(path.stem + ".") and entry["hint"]
            parts = entry["fields"].values() if entry["kind"] == "coding" else [entry]
            for part in parts:
                assert len(part["digest"]) == 64 and " " not in part["explain"]  # base64, not prose
