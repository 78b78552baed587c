package io.pyflinkml.predict.runtime;

import static io.pyflinkml.predict.TestModels.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryRowData;
import org.apache.flink.table.data.writer.BinaryRowWriter;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

/** The planner hands over a descriptor column's value uncast when its type casts implicitly. */
class InputCoercionTest {

    @Test
    void uncastNumbersBecomeTheModelsInputTypes() {
        InputCoercion coercion = new InputCoercion(
                row("t TINYINT, s SMALLINT, i INT, l BIGINT, f FLOAT, d DOUBLE, m DECIMAL(5, 2)"));
        RowData row = coercion.apply(GenericRowData.of(
                1, 2, (short) 3, 4, 5L, DecimalData.fromBigDecimal(new BigDecimal("1.5"), 2, 1), 7));
        assertEquals((byte) 1, row.getByte(0));
        assertEquals((short) 2, row.getShort(1));
        assertEquals(3, row.getInt(2));
        assertEquals(4L, row.getLong(3));
        assertEquals(5f, row.getFloat(4));
        assertEquals(1.5, row.getDouble(5));
        assertEquals(DecimalData.fromBigDecimal(new BigDecimal("7.00"), 5, 2), row.getDecimal(6, 5, 2));
    }

    @Test
    void aDecimalOfAnotherScaleIsRescaled() {
        InputCoercion coercion = new InputCoercion(row("m DECIMAL(10, 2)"));
        RowData row = coercion.apply(GenericRowData.of(
                DecimalData.fromBigDecimal(new BigDecimal("3.14159"), 6, 5)));
        assertEquals(new BigDecimal("3.14"), row.getDecimal(0, 10, 2).toBigDecimal());
    }

    @Test
    void aRowOfTheRightTypesIsPassedOnAsItIs() {
        InputCoercion coercion = new InputCoercion(row("i INT, s STRING, l BIGINT"));
        RowData right = GenericRowData.of(1, StringData.fromString("x"), null);
        assertSame(right, coercion.apply(right));
    }

    @Test
    void aBinaryRowIsAlreadyOfTheRightTypes() {
        BinaryRowData binary = new BinaryRowData(1);
        BinaryRowWriter writer = new BinaryRowWriter(binary);
        writer.writeInt(0, 5);
        writer.complete();
        assertSame(binary, new InputCoercion(row("l BIGINT")).apply(binary));
    }

    @Test
    void aNonNumberForANumericInputIsRefused() {
        InputCoercion coercion = new InputCoercion(row("l BIGINT"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> coercion.apply(GenericRowData.of(StringData.fromString("7"))));
        assertEquals("Expected a number for a numeric model input, got"
                + " org.apache.flink.table.data.binary.BinaryStringData", e.getMessage());
    }
}
