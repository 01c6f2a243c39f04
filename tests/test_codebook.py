from codebook import render
from conftest import ROOT


def test_codebook_is_generated_from_the_schema_and_data():
    committed = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert committed == render(), "data/README.md is out of date: run `make codebook`"


def test_codebook_describes_every_column():
    text = render()
    from course_lib import load_schema

    for table in load_schema().tables:
        assert f"## `{table.name}`" in text
        for field in table.fields:
            assert f"| `{field.name}` |" in text
