"""SQL scripts as ``pyflink-ml-predict run`` and the examples read them."""
import pytest

from pyflink_ml_predict.adapters.cli import main
from pyflink_ml_predict.adapters.sql_script import is_query, parse_set, split_statements


@pytest.mark.parametrize("script,statements", [
    ("SELECT 1; SELECT 2", ["SELECT 1", "SELECT 2"]),
    ("SELECT 'a;b', `c;d`, \"e;f\";", ["SELECT 'a;b', `c;d`, \"e;f\""]),
    ("SELECT 'it''s; fine';", ["SELECT 'it''s; fine'"]),
    ("-- a; comment\nSELECT 1; -- another;\n", ["SELECT 1"]),
    ("SELECT /* not; here */ 1;/* ; */SELECT 2", ["SELECT /* not; here */ 1", "/* ; */SELECT 2"]),
    ("/* only ; a comment */", []),
    ("SELECT * FROM t /*+ OPTIONS('a' = 'b;c') */;", ["SELECT * FROM t /*+ OPTIONS('a' = 'b;c') */"]),
    ("SELECT 1; /* a comment alone */ ; -- and a line\n", ["SELECT 1"]),
    ("SELECT '/* not a comment; */' AS x;", ["SELECT '/* not a comment; */' AS x"]),
    ("SELECT '-- nor this;'", ["SELECT '-- nor this;'"]),
])
def test_statements_split_on_semicolons_outside_quotes_and_comments(script, statements):
    assert split_statements(script) == statements


@pytest.mark.parametrize("script,message", [("SELECT 1 /* open; ", "unterminated /\\* comment"),
                                            ("SELECT 'open; ", "unterminated ' quote")])
def test_an_unterminated_comment_or_quote_is_an_error_not_a_silent_merge(script, message):
    with pytest.raises(ValueError, match=message):
        split_statements(script)


def test_set_statements_and_queries_are_recognised():
    assert parse_set("SET 'parallelism.default' = '2'") == ("parallelism.default", "2")
    assert parse_set("set 'a.b'=''") == ("a.b", "")
    assert parse_set("SELECT 'SET'") is None
    assert [is_query(s) for s in ["SELECT 1", "  with x AS (SELECT 1) SELECT * FROM x",
                                  "EXPLAIN SELECT 1", "INSERT INTO t SELECT 1",
                                  "CREATE TABLE t (a INT)"]] == [True, True, True, False, False]


def test_run_refuses_a_broken_script_before_starting_flink(tmp_path, capsys):
    script = tmp_path / "broken.sql"
    script.write_text("SELECT 1; /* never closed")
    assert main(["run", str(script)]) == 2
    assert "unterminated /* comment" in capsys.readouterr().err
