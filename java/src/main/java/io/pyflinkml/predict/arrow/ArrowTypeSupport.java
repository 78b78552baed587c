package io.pyflinkml.predict.arrow;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.runtime.arrow.ArrowUtils;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Which Flink types can travel between Flink and Python through Arrow, and in which form. */
public final class ArrowTypeSupport {

    private ArrowTypeSupport() {}

    /**
     * Fails at plan time, naming the column, for a type that Arrow cannot carry between Flink and
     * Python (for example MULTISET, INTERVAL, RAW or structured types).
     */
    public static void checkSupported(String modelName, String side, RowType rowType) {
        for (RowType.RowField field : rowType.getFields()) {
            try {
                ArrowUtils.toArrowSchema(
                        RowType.of(
                                new LogicalType[] {forArrow(field.getType())},
                                new String[] {field.getName()}));
            } catch (RuntimeException e) {
                throw new ValidationException(
                        String.format(
                                "Model '%s': %s column '%s' has type %s, which the generic-python"
                                        + " provider cannot pass to Python. Supported: BOOLEAN,"
                                        + " TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL,"
                                        + " CHAR, VARCHAR/STRING, BINARY, VARBINARY/BYTES, DATE,"
                                        + " TIME, TIMESTAMP, TIMESTAMP_LTZ, and ARRAY, MAP and ROW"
                                        + " of these (%s).",
                                modelName,
                                side,
                                field.getName(),
                                field.getType(),
                                e.getMessage()),
                        e);
            }
        }
        if (rowType.getFieldCount() == 0) {
            throw new ValidationException(
                    String.format("Model '%s' declares no %s columns.", modelName, side));
        }
    }

    /**
     * The type as Flink's Arrow mapping accepts it: MAP keys NOT NULL (SQL declares them
     * nullable by default, Arrow map keys never are).
     */
    static LogicalType forArrow(LogicalType type) {
        if (type instanceof MapType) {
            MapType map = (MapType) type;
            return new MapType(
                    map.isNullable(),
                    forArrow(map.getKeyType()).copy(false),
                    forArrow(map.getValueType()));
        }
        if (type instanceof ArrayType) {
            ArrayType array = (ArrayType) type;
            return new ArrayType(array.isNullable(), forArrow(array.getElementType()));
        }
        if (type instanceof RowType) {
            List<RowType.RowField> fields = new ArrayList<>();
            for (RowType.RowField field : ((RowType) type).getFields()) {
                fields.add(new RowType.RowField(field.getName(), forArrow(field.getType())));
            }
            return new RowType(type.isNullable(), fields);
        }
        return type;
    }

    /** Whether the type, or a type at any depth inside it (element, field, key, value), matches. */
    static boolean contains(LogicalType type, Predicate<LogicalType> test) {
        return test.test(type)
                || type.getChildren().stream().anyMatch(child -> contains(child, test));
    }
}
