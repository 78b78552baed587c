package io.pyflinkml.predict.arrow;

import io.pyflinkml.predict.FlinkRelease;

import org.apache.flink.api.python.shaded.org.apache.arrow.vector.TimeStampVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.ValueVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.complex.ListVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.complex.MapVector;
import org.apache.flink.api.python.shaded.org.apache.arrow.vector.complex.StructVector;
import org.apache.flink.table.data.columnar.vector.ColumnVector;
import org.apache.flink.table.runtime.arrow.ArrowUtils;
import org.apache.flink.table.runtime.arrow.vectors.ArrowArrayColumnVector;
import org.apache.flink.table.runtime.arrow.vectors.ArrowMapColumnVector;
import org.apache.flink.table.runtime.arrow.vectors.ArrowRowColumnVector;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Flink's column vectors over Arrow data, as {@link ArrowUtils#createColumnVector} builds them,
 * except that timestamps at any depth (top level, ARRAY element, ROW field, MAP key or value) are
 * read by {@link EpochSafeTimestampVector}: Flink's own reader fails for pre-1970 values with
 * sub-millisecond digits. Parts of a type without timestamps keep Flink's vectors unchanged.
 */
final class EpochSafeColumnVectors {

    private EpochSafeColumnVectors() {}

    /** One vector per column of the root, whose columns have the given types. */
    static ColumnVector[] of(VectorSchemaRoot root, RowType type) {
        ColumnVector[] columns = new ColumnVector[type.getFieldCount()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = of(root.getVector(i), type.getTypeAt(i));
        }
        return columns;
    }

    private static ColumnVector of(ValueVector vector, LogicalType type) {
        if (!FlinkRelease.Workaround.PRE_EPOCH_TIMESTAMP_READ.active()) {
            return ArrowUtils.createColumnVector(vector, type);
        }
        if (vector instanceof TimeStampVector) {
            return new EpochSafeTimestampVector((TimeStampVector) vector);
        }
        if (!ArrowTypeSupport.contains(type, t -> t.is(LogicalTypeFamily.TIMESTAMP))) {
            return ArrowUtils.createColumnVector(vector, type);
        }
        // The composites below rebuild what Flink's createColumnVector builds, with these
        // children. A MapVector is a ListVector too, so it comes first.
        if (vector instanceof MapVector) {
            MapType map = (MapType) type;
            StructVector entries = (StructVector) ((MapVector) vector).getDataVector();
            return new ArrowMapColumnVector(
                    (MapVector) vector,
                    of(entries.getChild(MapVector.KEY_NAME), map.getKeyType()),
                    of(entries.getChild(MapVector.VALUE_NAME), map.getValueType()));
        }
        if (vector instanceof ListVector) {
            ListVector list = (ListVector) vector;
            return new ArrowArrayColumnVector(
                    list, of(list.getDataVector(), ((ArrayType) type).getElementType()));
        }
        if (vector instanceof StructVector) {
            StructVector struct = (StructVector) vector;
            RowType row = (RowType) type;
            ColumnVector[] fields = new ColumnVector[struct.size()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = of(struct.getVectorById(i), row.getTypeAt(i));
            }
            return new ArrowRowColumnVector(struct, fields);
        }
        return ArrowUtils.createColumnVector(vector, type);
    }
}
