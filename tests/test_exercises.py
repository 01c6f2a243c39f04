"""check() gives feedback and hints without the answers being stored in plain text."""

import json

import pytest

from course_lib import exercises
from course_lib.exercises import check, record


@pytest.fixture
def answers_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(exercises, "ANSWERS_DIR", tmp_path)
    return tmp_path


def test_right_and_wrong_answers(answers_dir):
    record("99.1", 42, hint="count them", explain="Well done.")
    assert check("99.1", 42).correct and str(check("99.1", 42)) == "Correct! Well done."
    wrong = check("99.1", 41)
    assert not wrong and "Hint: count them" in repr(wrong)
    assert "42" not in (answers_dir / "99.json").read_text()


def test_names_ignore_case_and_punctuation(answers_dir):
    record("99.2", "armed_conflict", hint="h")
    assert check("99.2", "Armed conflict").correct and check("99.2", "ARMED-CONFLICT").correct


def test_sets_ignore_order_and_say_how_many(answers_dir):
    record("99.3", ["isk", "ttp"], hint="h")
    assert check("99.3", ("ttp", "isk")).correct
    assert "you gave 1 item; the answer has 2" in str(check("99.3", ["isk"]))


def test_floats_are_rounded(answers_dir):
    record("99.4", 0.333333, hint="h", decimals=2)
    assert check("99.4", 1 / 3).correct and not check("99.4", 0.3).correct


def test_wrong_kind_and_no_answer(answers_dir):
    record("99.5", 7, hint="h")
    assert "the answer is a number" in str(check("99.5", "seven"))
    assert str(check("99.5", ...)).startswith("No answer yet")
    import pandas as pd

    assert "not a DataFrame" in str(check("99.5", pd.DataFrame()))


def test_unknown_exercise(answers_dir):
    record("99.1", 1, hint="h")
    with pytest.raises(KeyError, match=r"no exercise '99\.9'; exercises of this notebook: 99\.1"):
        check("99.9", 1)


def test_every_registered_answer_has_a_hint_that_does_not_give_it_away():
    files = sorted(exercises.ANSWERS_DIR.glob("*.json"))
    assert files
    for path in files:
        for qid, entry in json.loads(path.read_text()).items():
            assert qid.startswith(path.stem + ".")
            assert entry["hint"] and entry["digest"] and len(entry["digest"]) == 64


def test_refresh_keeps_the_hint_and_changes_the_answer(answers_dir):
    record("99.6", 3, hint="keep me", explain="and me")
    exercises.refresh("99.6", 4)
    assert check("99.6", 4).correct and not check("99.6", 3).correct
    assert "keep me" in str(check("99.6", 5)) and str(check("99.6", 4)) == "Correct! and me"
    with pytest.raises(KeyError):
        exercises.refresh("99.7", 1)
