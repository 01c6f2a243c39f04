import pytest

from course_lib import UnknownGroupError, cite, cite_rows, load_alliances, load_groups, resolve_group
from course_lib.groups import normalise_name


def test_every_name_and_alias_resolves_to_its_group():
    groups = load_groups()
    checked = 0
    for gid, name, aliases in zip(groups["group_id"], groups["name"], groups["aliases"]):
        for label in (gid, name, *aliases):
            assert resolve_group(label) == gid, label
            checked += 1
    assert checked > len(groups)


@pytest.mark.parametrize("variant", ["isis-k", "ISIS K", "  isisk ", "Isis–K"])
def test_case_punctuation_and_spaces_are_ignored(variant):
    assert resolve_group(variant) == "isk"


def test_accents_are_ignored():
    assert normalise_name("Qāʿida") == normalise_name("Qaida")


def test_unknown_name_suggests_the_nearest():
    with pytest.raises(UnknownGroupError, match="did you mean 'Al-Qaeda' \\(al_qaeda\\)"):
        resolve_group("Al-Quaeda")
    with pytest.raises(LookupError, match="no group is called"):
        resolve_group("Zzyzx Brigade")


def test_a_non_string_gets_a_plain_error():
    with pytest.raises(TypeError, match="as a string"):
        resolve_group(load_groups())


def test_cite_a_source_and_a_row():
    assert cite("stenersen2010").startswith("Anne Stenersen (2010). Al-Qaeda's Allies")
    row = load_alliances().iloc[0]
    text = cite(row)
    assert row["locator"] in text and f"“{row['excerpt']}”" in text


def test_cite_unknown_source():
    with pytest.raises(KeyError, match="no source 'nobody1999'"):
        cite("nobody1999")


def test_cite_rows_cites_each_source_once():
    rows = load_alliances()
    cited = cite_rows(rows)
    assert len(cited) == rows["source_id"].nunique() > 0
