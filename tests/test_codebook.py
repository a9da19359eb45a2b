"""The codebook and the CAMEO crosswalk: labels, version, codes kept as strings, GDELT's Goldstein values."""

import pytest

from dashboard.codebook import codebook_version, load_codebook, load_crosswalk, read_codebook_version, stances
from dashboard.errors import InvalidDataError


def test_stances_run_hostile_to_cordial():
    assert stances() == ("condemn", "warn", "deny", "concern", "call_for", "neutral", "condolence", "support")


def test_codebook_defines_every_stance_in_chart_order():
    codebook = load_codebook()
    assert tuple(codebook["stance"]) == stances()
    assert (codebook["definition"].str.len() > 20).all()
    assert (codebook["example"].str.len() > 20).all()


def test_codebook_version_comes_from_the_file_header(tmp_path):
    path = tmp_path / "codebook.csv"
    path.write_text("# version: 2.3\n# columns...\nstance\n", encoding="utf-8")
    assert read_codebook_version(path) == "2.3"
    assert read_codebook_version() == codebook_version()


def test_codebook_without_version_line_is_an_error(tmp_path):
    path = tmp_path / "codebook.csv"
    path.write_text("# no version here\nstance\n", encoding="utf-8")
    with pytest.raises(InvalidDataError, match="version"):
        read_codebook_version(path)


@pytest.mark.parametrize(
    ("stance", "cue_type", "cameo", "goldstein"),
    [
        ("condemn", "criticize_denounce", "111", -2.0),
        ("condolence", "empathetic_comment", "018", 3.4),
        ("warn", "threaten", "130", -4.4),
        ("concern", "pessimistic_comment", "012", -0.4),
        ("support", "praise_endorse", "051", 3.4),
        ("call_for", "appeal_de_escalation", "0256", -0.3),
        ("deny", "deny_responsibility", "016", -2.0),
        ("warn", "demonstrate_military_power", "150", -7.2),
    ],
)
def test_crosswalk_follows_gdelt_cameo_table(stance, cue_type, cameo, goldstein):
    code = load_crosswalk().lookup(stance, cue_type)
    assert code.cameo == cameo
    assert code.goldstein == goldstein


def test_every_stance_has_a_default_code():
    crosswalk = load_crosswalk()
    for stance in stances():
        assert crosswalk.lookup(stance) is not None


def test_unknown_cue_type_falls_back_to_the_stance_default():
    assert load_crosswalk().lookup("condemn", "no_such_type").cameo == "111"


def test_material_record_without_cue_type_takes_a_material_code():
    code = load_crosswalk().lookup("warn", "", mode="material")
    assert code.mode == "material"
    assert code.goldstein < -5


def test_broken_crosswalk_reports_every_problem(tmp_path):
    path = tmp_path / "crosswalk.csv"
    path.write_text(
        "# test\nstance,cue_type,mode,default,cameo,cameo_label,goldstein\n"
        "scold,x,verbal,yes,111,Criticize,-2.0\n"
        "condemn,y,spoken,maybe,1a1,Bad,-20\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidDataError) as caught:
        load_crosswalk(path)
    fields = {problem.field for problem in caught.value.problems}
    assert {"stance", "mode", "default", "cameo", "goldstein"} <= fields


def test_the_stance_order_in_code_is_the_codebook_files_row_order_and_families_run_hostile_to_cordial():
    from dashboard.codebook import codebook_path, families, stance_families
    from dashboard.datafiles import read_commented_csv

    rows = read_commented_csv(codebook_path())
    assert tuple(rows["stance"]) == stances()
    assert families() == ("hostile", "neutral", "cordial")
    filed = [stance_families()[stance] for stance in stances()]
    assert filed == sorted(filed, key=families().index)  # hostile first, cordial last, never mixed
