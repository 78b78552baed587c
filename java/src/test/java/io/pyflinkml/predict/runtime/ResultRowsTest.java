package io.pyflinkml.predict.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyflinkml.predict.ModelConfig;
import io.pyflinkml.predict.TestModels;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

class ResultRowsTest {

    private static ResultRows rows(String output) {
        ModelConfig config = TestModels.model("m.M").output(output).version("latest").build();
        return new ResultRows(config);
    }

    @Test
    void withoutProviderColumnsTheModelsRowsAreTheResult() {
        List<RowData> model = Arrays.asList(GenericRowData.of(1), GenericRowData.of(2));
        assertEquals(model, rows("y INT").predicted(model, null));
    }

    @Test
    void providerColumnsAreFilledAroundTheModelsColumns() {
        ResultRows rows = rows("a INT, `model-version` STRING, b STRING, `error-string` STRING");
        List<RowData> result = rows.predicted(
                Collections.singletonList(GenericRowData.of(7, StringData.fromString("x"))),
                StringData.fromString("12"));
        assertEquals(
                GenericRowData.of(7, StringData.fromString("12"), StringData.fromString("x"), null),
                result.get(0));
    }

    @Test
    void anIgnoredRowCarriesOnlyItsError() {
        List<RowData> result = rows("y INT, `error-string` STRING").ignored("ValueError: bad");
        assertEquals(Collections.singletonList(GenericRowData.of(null, StringData.fromString("ValueError: bad"))),
                result);
    }

    @Test
    void withoutAnErrorColumnAnIgnoredRowHasNoResult() {
        assertTrue(rows("y INT").ignored("ValueError: bad").isEmpty());
    }
}
