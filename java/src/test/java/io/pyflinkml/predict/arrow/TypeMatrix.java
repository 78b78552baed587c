package io.pyflinkml.predict.arrow;

import static io.pyflinkml.predict.TestModels.row;

import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;

import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.List;

/**
 * The types and edge values of {@link ArrowBatchCodecTest#everyType} as one table: column
 * {@code c<i>} has the i-th type, and row j its j-th value (its first value once a type has no
 * more, so NOT NULL columns stay filled). For tests that send every type somewhere and back.
 */
public final class TypeMatrix {

    private TypeMatrix() {}

    public static RowType rowType() {
        List<String> fields = new ArrayList<>();
        List<Arguments> types = types();
        for (int i = 0; i < types.size(); i++) {
            fields.add("c" + i + " " + types.get(i).get()[0]);
        }
        return row(String.join(", ", fields));
    }

    public static List<Row> rows() {
        List<Arguments> types = types();
        int height = 0;
        for (Arguments type : types) {
            height = Math.max(height, values(type).size());
        }
        List<Row> rows = new ArrayList<>();
        for (int j = 0; j < height; j++) {
            Row row = new Row(types.size());
            for (int i = 0; i < types.size(); i++) {
                List<?> values = values(types.get(i));
                row.setField(i, values.get(j < values.size() ? j : 0));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<Arguments> types() {
        List<Arguments> types = new ArrayList<>();
        ArrowBatchCodecTest.everyType().forEach(types::add);
        return types;
    }

    private static List<?> values(Arguments type) {
        return (List<?>) type.get()[1];
    }
}
