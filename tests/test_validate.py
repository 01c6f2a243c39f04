"""Every kind of bad input gets one clear DataValidationError; nothing is dropped silently."""

from __future__ import annotations

import pytest
from conftest import read_rows, set_cell, write_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib import DataValidationError, load_course, validate


def problems_of(data_dir):
    with pytest.raises(DataValidationError) as info:
        validate(data_dir)
    assert isinstance(info.value, ValueError)
    return info.value.problems


def only(problems, **expected):
    """The one problem matching ``expected`` (file, line, column, value)."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in expected.items())]
    assert len(found) == 1, f"expected one problem like {expected}, got {problems}"
    return found[0]


def test_bundled_data_is_valid():
    validate()
    tables = load_course()
    assert all(len(frame) > 0 for frame in tables.values())


def test_missing_file(data_copy):
    (data_copy / "milestones.csv").unlink()
    p = only(problems_of(data_copy), file="milestones.csv")
    assert "missing" in p.rule


def test_missing_column(data_copy):
    path = data_copy / "alliances.csv"
    rows = read_rows(path)
    i = rows[0].index("relation")
    write_rows(path, [r[:i] + r[i + 1 :] for r in rows])
    p = only(problems_of(data_copy), file="alliances.csv", line=1, column="relation")
    assert "missing" in p.rule


def test_misspelt_column_suggests_the_right_name(data_copy):
    path = data_copy / "alliances.csv"
    rows = read_rows(path)
    rows[0][rows[0].index("relation")] = "relaton"
    write_rows(path, rows)
    problems = problems_of(data_copy)
    assert "did you mean 'relation'" in only(problems, column="relaton").rule
    only(problems, column="relation", line=1)


def test_value_outside_its_enum(data_copy):
    line = set_cell(data_copy / "alliances.csv", 0, "relation", "friendship")
    p = only(problems_of(data_copy), file="alliances.csv", line=line, column="relation", value="friendship")
    assert "must be one of" in p.rule and "armed_conflict" in p.rule


@pytest.mark.parametrize(
    ("value", "reason"), [("2013-13", "month 13"), ("2013-02-30", "28 days"), ("13/02/2013", "not a partial")]
)
def test_malformed_or_impossible_date(data_copy, value, reason):
    line = set_cell(data_copy / "milestones.csv", 0, "date", value)
    p = only(problems_of(data_copy), file="milestones.csv", line=line, column="date", value=value)
    assert reason in p.rule


def test_end_before_start(data_copy):
    path = data_copy / "alliances.csv"
    set_cell(path, 0, "start", "2014")
    line = set_cell(path, 0, "end", "2012-06")
    p = only(problems_of(data_copy), file="alliances.csv", line=line, column="end", value="2012-06")
    assert "before start" in p.rule


def test_same_year_and_a_day_within_it_are_in_order(data_copy):
    path = data_copy / "alliances.csv"
    set_cell(path, 0, "start", "2014-05-03")
    set_cell(path, 0, "end", "2014")
    set_cell(path, 0, "observed", "2014")
    validate(data_copy)


def test_low_above_high(data_copy):
    path = data_copy / "indicators.csv"
    set_cell(path, 0, "value_low", "20")
    line = set_cell(path, 0, "value_high", "10")
    p = only(problems_of(data_copy), file="indicators.csv", line=line, column="value_high", value="10")
    assert "less than value_low" in p.rule


def test_negative_count(data_copy):
    line = set_cell(data_copy / "indicators.csv", 0, "value_low", "-3")
    p = only(problems_of(data_copy), file="indicators.csv", line=line, column="value_low", value="-3")
    assert "negative" in p.rule


def test_duplicate_key(data_copy):
    path = data_copy / "alliances.csv"
    first = read_rows(path)[1][0]
    line = set_cell(path, 1, "alliance_id", first)
    p = only(problems_of(data_copy), file="alliances.csv", line=line, column="alliance_id", value=first)
    assert "already on line 2" in p.rule


def test_foreign_key_to_nothing(data_copy):
    line = set_cell(data_copy / "alliances.csv", 0, "group_a", "al_qeada")
    p = only(problems_of(data_copy), file="alliances.csv", line=line, column="group_a", value="al_qeada")
    assert "no group_id" in p.rule and "did you mean 'al_qaeda'" in p.rule


def test_foreign_key_of_a_link_table(data_copy):
    # a milestone's groups (the old list column group_ids) are rows of milestone_groups
    line = set_cell(data_copy / "milestone_groups.csv", 0, "group_id", "nobody_at_all")
    p = only(
        problems_of(data_copy),
        file="milestone_groups.csv",
        line=line,
        column="group_id",
        value="nobody_at_all",
    )
    assert "no group_id 'nobody_at_all' in groups" in p.rule
    line = set_cell(data_copy / "milestone_groups.csv", 1, "milestone_id", "no_such_milestone")
    only(problems_of(data_copy), file="milestone_groups.csv", line=line, column="milestone_id")


def test_foreign_key_of_the_gazetteer(data_copy):
    rows = read_rows(data_copy / "attacks.csv")
    row = next(i for i, r in enumerate(rows[1:]) if r[rows[0].index("place_id")])
    line = set_cell(data_copy / "attacks.csv", row, "place_id", "dza_algeirs")
    p = only(problems_of(data_copy), file="attacks.csv", line=line, column="place_id", value="dza_algeirs")
    assert "no place_id 'dza_algeirs' in places" in p.rule


def test_empty_required_cell(data_copy):
    line = set_cell(data_copy / "alliances.csv", 0, "relation", "")
    p = only(problems_of(data_copy), file="alliances.csv", line=line, column="relation")
    assert "required" in p.rule


def test_non_utf8_file(data_copy):
    path = data_copy / "groups.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[2] = lines[2].replace(",", ",Caf\u00e9 ", 1)
    path.write_bytes("\n".join(lines).encode("latin-1", errors="replace"))
    p = only(problems_of(data_copy), file="groups.csv", line=3)
    assert "not UTF-8" in p.rule


def test_excerpt_over_forty_words(data_copy):
    long = " ".join(["word"] * 41)
    line = set_cell(data_copy / "alliances.csv", 0, "excerpt", long)
    p = only(problems_of(data_copy), file="alliances.csv", line=line, column="excerpt")
    assert "41 words" in p.rule


def test_missing_excerpt_for_a_library_source(data_copy):
    line = set_cell(data_copy / "alliances.csv", 0, "excerpt", "")
    p = only(problems_of(data_copy), file="alliances.csv", line=line, column="excerpt")
    assert "source library" in p.rule


def test_short_row_is_reported_not_dropped(data_copy):
    path = data_copy / "alliances.csv"
    rows = read_rows(path)
    rows[1] = rows[1][:3]
    write_rows(path, rows)
    p = only(problems_of(data_copy), file="alliances.csv", line=2)
    assert "3 cells" in p.rule


def test_every_problem_is_listed_at_once(data_copy):
    set_cell(data_copy / "alliances.csv", 0, "relation", "friendship")
    set_cell(data_copy / "milestones.csv", 0, "date", "2013-13")
    set_cell(data_copy / "indicators.csv", 0, "value_low", "-1")
    with pytest.raises(DataValidationError) as info:
        load_course(data_copy)
    message = str(info.value)
    assert message.startswith("3 problems")
    for text in ("alliances.csv", "milestones.csv", "indicators.csv", "'friendship'", "'2013-13'"):
        assert text in message


def test_bom_and_crlf_are_accepted(data_copy):
    expected = {name: len(frame) for name, frame in load_course(data_copy).items()}
    for path in data_copy.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    tables = load_course(data_copy)
    assert {name: len(frame) for name, frame in tables.items()} == expected
    assert tables["sources"].columns[0] == "source_id"


def test_data_dir_that_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(DataValidationError, match=r"nowhere.*does not exist"):
        load_course(missing)


def test_environment_variable_overrides_the_bundled_data(data_copy, monkeypatch):
    set_cell(data_copy / "alliances.csv", 0, "description", "Edited copy.")
    monkeypatch.setenv("COURSE_DATA_DIR", str(data_copy))
    assert "Edited copy." in set(load_course()["alliances"]["description"])
    monkeypatch.setenv("COURSE_DATA_DIR", str(data_copy / "nowhere"))
    with pytest.raises(DataValidationError, match="COURSE_DATA_DIR"):
        load_course()


# A line break inside a cell and a cell starting with "=" (a formula) are refused (see
# test_bad_input.py), so free text here is any other text.
text_cells = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
        | st.sampled_from(",\"'|;= "),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(lambda text: text and not text.startswith("="))
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=text_cells)
def test_csv_round_trip_of_free_text(data_copy, text):
    """Any text written to a cell with a CSV writer is read back unchanged."""
    set_cell(data_copy / "alliances.csv", 0, "description", text)
    frame = load_course(data_copy)["alliances"]
    assert frame["description"].iloc[0] == text
