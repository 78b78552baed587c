"""The flat layout's Python side alone (tests/integration/test_wire.py checks it against Java's
bytes): values that have no exact flat form must take the Arrow way."""
from pyflink_ml_predict.runtime.flat import FlatReader, FlatWriter


def test_values_without_an_exact_flat_form_take_the_arrow_way():
    writer = FlatWriter("iqds")
    assert writer.encode([(1, 2, 3.5, "x")]) is not None
    for odd in [(True, 2, 3.5, "x"),          # bool for INT: Arrow refuses it, with a message
                (2**31, 2, 3.5, "x"),         # out of INT's range
                (1, 2.0, 3.5, "x"),           # a float for BIGINT: Arrow decides whole or not
                (1, 2, "3.5", "x"),           # a string for DOUBLE
                (1, 2, 3.5, b"x"),            # bytes for STRING
                (1, 2, 3.5, "\ud800")]:       # a lone surrogate has no UTF-8
        assert writer.encode([odd]) is None, odd


def test_every_kind_round_trips_with_nulls_and_odd_values():
    kinds = "?bhiqfdsy"
    rows = [(True, -128, -32768, -2**31, -2**63, 1.5, -2.25e300, "héllo;\x00", b"\x00\xff"),
            (None, None, None, None, None, None, None, None, None),
            (False, 127, 32767, 2**31 - 1, 2**63 - 1, 0.0, float("inf"), "", b"")]
    data = FlatWriter(kinds).encode(rows)
    assert data is not None
    assert [tuple(r) for r in zip(*FlatReader(kinds).columns(data))] == rows


def test_a_null_in_a_not_null_column_takes_the_arrow_way_and_its_message():
    assert FlatWriter("is", not_null=[True, False]).encode([(1, None)]) is not None
    assert FlatWriter("is", not_null=[True, False]).encode([(None, "x")]) is None
