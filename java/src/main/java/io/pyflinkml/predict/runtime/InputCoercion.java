package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.FlinkRelease;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.math.BigDecimal;
import java.util.function.Function;

/**
 * Brings top-level numeric input values to the model's INPUT types. Flink (2.1 to 2.3) accepts a
 * descriptor column whose type merely casts implicitly to the model's (INT for BIGINT, DECIMAL
 * for DOUBLE) but hands the value over uncast; the value's class tells what it really is.
 */
final class InputCoercion {

    private final Function<Object, Object>[] coercions;

    @SuppressWarnings({"unchecked", "rawtypes"})
    InputCoercion(RowType inputType) {
        coercions = new Function[inputType.getFieldCount()];
        if (!FlinkRelease.Workaround.UNCAST_DESCRIPTOR_INPUT.active()) {
            return;
        }
        for (int i = 0; i < coercions.length; i++) {
            coercions[i] = coercionTo(inputType.getTypeAt(i));
        }
    }

    RowData apply(RowData row) {
        if (!(row instanceof GenericRowData)) {
            return row;
        }
        GenericRowData generic = (GenericRowData) row;
        GenericRowData result = null;
        for (int i = 0; i < coercions.length; i++) {
            if (coercions[i] == null) {
                continue;
            }
            Object value = generic.getField(i);
            Object coerced = value == null ? null : coercions[i].apply(value);
            if (coerced != value) {
                if (result == null) {
                    result = copyOf(generic);
                }
                result.setField(i, coerced);
            }
        }
        return result == null ? row : result;
    }

    private static GenericRowData copyOf(GenericRowData row) {
        GenericRowData copy = new GenericRowData(row.getRowKind(), row.getArity());
        for (int i = 0; i < row.getArity(); i++) {
            copy.setField(i, row.getField(i));
        }
        return copy;
    }

    private static Function<Object, Object> coercionTo(LogicalType type) {
        switch (type.getTypeRoot()) {
            case TINYINT:
                return v -> v instanceof Byte ? v : number(v).byteValue();
            case SMALLINT:
                return v -> v instanceof Short ? v : number(v).shortValue();
            case INTEGER:
                return v -> v instanceof Integer ? v : number(v).intValue();
            case BIGINT:
                return v -> v instanceof Long ? v : number(v).longValue();
            case FLOAT:
                return v -> v instanceof Float ? v : number(v).floatValue();
            case DOUBLE:
                return v -> v instanceof Double ? v : number(v).doubleValue();
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                int precision = decimal.getPrecision();
                int scale = decimal.getScale();
                return v -> {
                    if (v instanceof DecimalData
                            && ((DecimalData) v).precision() == precision
                            && ((DecimalData) v).scale() == scale) {
                        return v;
                    }
                    BigDecimal exact =
                            v instanceof DecimalData
                                    ? ((DecimalData) v).toBigDecimal()
                                    : new BigDecimal(number(v).toString());
                    return DecimalData.fromBigDecimal(exact, precision, scale);
                };
            default:
                return null;
        }
    }

    private static Number number(Object value) {
        if (value instanceof DecimalData) {
            return ((DecimalData) value).toBigDecimal();
        }
        if (value instanceof Number) {
            return (Number) value;
        }
        throw new IllegalArgumentException(
                "Expected a number for a numeric model input, got " + value.getClass().getName());
    }
}
