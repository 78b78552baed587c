package io.pyflinkml.predict.runtime;

import io.pyflinkml.predict.ModelConfig;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.RowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns the model's output rows into ML_PREDICT's: adds the {@code error-string} column when
 * OUTPUT declares it (NULL for predicted rows) and the {@code model-version} column (the version
 * that answered), and makes the row of an ignored input (only the error set, or no row when
 * the column is not declared).
 */
final class ResultRows {

    private static final Logger LOG = LoggerFactory.getLogger(ResultRows.class);
    private static final int LOGGED_IN_FULL = 10;

    private final String model;
    private final int errorColumn;
    private final int versionColumn;
    private final int arity;
    private final RowData.FieldGetter[] modelFields;
    private long ignored;

    ResultRows(ModelConfig config) {
        this.model = config.describe();
        this.errorColumn = config.errorColumn();
        this.versionColumn = config.versionColumn();
        this.arity = config.declaredOutputType().getFieldCount();
        RowType modelType = config.outputType();
        this.modelFields = new RowData.FieldGetter[modelType.getFieldCount()];
        for (int i = 0; i < modelFields.length; i++) {
            modelFields[i] = RowData.createFieldGetter(modelType.getTypeAt(i), i);
        }
    }

    /** The rows of a predicted input row; {@code version} answered (null: unversioned). */
    List<RowData> predicted(List<RowData> modelRows, StringData version) {
        if (errorColumn < 0 && versionColumn < 0) {
            return new ArrayList<>(modelRows);
        }
        List<RowData> rows = new ArrayList<>(modelRows.size());
        for (RowData modelRow : modelRows) {
            GenericRowData row = new GenericRowData(arity);
            for (int i = 0, field = 0; i < arity; i++) {
                if (i == versionColumn) {
                    row.setField(i, version);
                } else if (i != errorColumn) {
                    row.setField(i, modelFields[field++].getFieldOrNull(modelRow));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    List<RowData> ignored(String error) {
        ignored++;
        if (ignored <= LOGGED_IN_FULL || ignored % 1000 == 0) {
            LOG.warn("{} skipped a row ({} so far): {}", model, ignored, error);
        }
        if (errorColumn < 0) {
            return Collections.emptyList();
        }
        GenericRowData row = new GenericRowData(arity);
        row.setField(errorColumn, StringData.fromString(error));
        return Collections.singletonList(row);
    }
}
