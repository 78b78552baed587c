package io.pyflinkml.predict.arrow;

import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Applies checks or repairs of single values to values at any depth of a type: ARRAY elements,
 * ROW fields, MAP keys and values. Built once per type, and only for the parts of it that hold
 * such values; a value is copied only along the path to a repaired one.
 */
final class NestedRepair {

    private NestedRepair() {}

    /** Checks or repairs one non-null value; returns the value itself when it needs nothing. */
    interface Repair {
        Object apply(Object value);
    }

    /** The repair for a value of a type that is neither ARRAY, MAP nor ROW; null for none. */
    interface Leaves {
        Repair of(LogicalType type, String path);
    }

    /**
     * The repair for values of the type, or null where nothing inside it needs one. The path
     * names the value in messages ("v", "v[]", "v.t", "v{key}", "v{value}").
     */
    static Repair of(LogicalType type, String path, Leaves leaves) {
        if (type instanceof ArrayType) {
            return array(((ArrayType) type).getElementType(), path + "[]", leaves);
        }
        if (type instanceof MapType) {
            MapType map = (MapType) type;
            Repair keys = array(map.getKeyType(), path + "{key}", leaves);
            Repair values = array(map.getValueType(), path + "{value}", leaves);
            return keys == null && values == null ? null : new MapRepair(keys, values);
        }
        if (type instanceof RowType) {
            RowType row = (RowType) type;
            Repair[] fields = new Repair[row.getFieldCount()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = of(row.getTypeAt(i), path + "." + row.getFieldNames().get(i), leaves);
            }
            return row(row, fields);
        }
        return leaves.of(type, path);
    }

    /** The repair for rows of the type, given one per field (null where a field needs none). */
    static Repair row(RowType type, Repair[] fields) {
        for (Repair field : fields) {
            if (field != null) {
                return new RowRepair(type, fields);
            }
        }
        return null;
    }

    private static Repair array(LogicalType elementType, String path, Leaves leaves) {
        Repair elements = of(elementType, path, leaves);
        return elements == null ? null : new ArrayRepair(elementType, elements);
    }

    private static final class RowRepair implements Repair {
        private final RowData.FieldGetter[] getters;
        private final Repair[] fields; // null where a field needs nothing

        RowRepair(RowType type, Repair[] fields) {
            this.fields = fields;
            this.getters = new RowData.FieldGetter[fields.length];
            for (int i = 0; i < fields.length; i++) {
                getters[i] = RowData.createFieldGetter(type.getTypeAt(i), i);
            }
        }

        @Override
        public Object apply(Object value) {
            RowData row = (RowData) value;
            GenericRowData copy = null;
            for (int i = 0; i < fields.length; i++) {
                if (fields[i] == null || row.isNullAt(i)) {
                    continue;
                }
                Object field = getters[i].getFieldOrNull(row);
                Object repaired = fields[i].apply(field);
                if (repaired != field) {
                    if (copy == null) {
                        copy = new GenericRowData(row.getRowKind(), fields.length);
                        for (int j = 0; j < fields.length; j++) {
                            copy.setField(j, getters[j].getFieldOrNull(row));
                        }
                    }
                    copy.setField(i, repaired);
                }
            }
            return copy == null ? row : copy;
        }
    }

    private static final class ArrayRepair implements Repair {
        private final ArrayData.ElementGetter getter;
        private final Repair elements;

        ArrayRepair(LogicalType elementType, Repair elements) {
            this.getter = ArrayData.createElementGetter(elementType);
            this.elements = elements;
        }

        @Override
        public Object apply(Object value) {
            ArrayData array = (ArrayData) value;
            Object[] copy = null;
            for (int i = 0; i < array.size(); i++) {
                if (array.isNullAt(i)) {
                    continue;
                }
                Object element = getter.getElementOrNull(array, i);
                Object repaired = elements.apply(element);
                if (repaired != element) {
                    if (copy == null) {
                        copy = new Object[array.size()];
                        for (int j = 0; j < copy.length; j++) {
                            copy[j] = getter.getElementOrNull(array, j);
                        }
                    }
                    copy[i] = repaired;
                }
            }
            return copy == null ? array : new GenericArrayData(copy);
        }
    }

    private static final class MapRepair implements Repair {
        private final Repair keys; // null where keys need nothing
        private final Repair values; // null where values need nothing

        MapRepair(Repair keys, Repair values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        public Object apply(Object value) {
            MapData map = (MapData) value;
            ArrayData keyArray = map.keyArray();
            ArrayData valueArray = map.valueArray();
            Object newKeys = keys == null ? keyArray : keys.apply(keyArray);
            Object newValues = values == null ? valueArray : values.apply(valueArray);
            if (newKeys == keyArray && newValues == valueArray) {
                return map;
            }
            return new ArrayPairMapData((ArrayData) newKeys, (ArrayData) newValues);
        }
    }

    /** A map as Flink's Arrow writer reads one: keys and values in matching order. */
    private static final class ArrayPairMapData implements MapData {
        private final ArrayData keys;
        private final ArrayData values;

        ArrayPairMapData(ArrayData keys, ArrayData values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        public int size() {
            return keys.size();
        }

        @Override
        public ArrayData keyArray() {
            return keys;
        }

        @Override
        public ArrayData valueArray() {
            return values;
        }
    }
}
