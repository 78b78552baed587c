package io.pyflinkml.predict.arrow;

import static io.pyflinkml.predict.TestModels.row;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Collections;

class ArrowTypeSupportTest {

    @Test
    void everyTypeOfTheRoundTripTestIsAccepted() {
        ArrowBatchCodecTest.everyType()
                .forEach(arguments -> {
                    String sql = (String) arguments.get()[0];
                    assertDoesNotThrow(
                            () -> ArrowTypeSupport.checkSupported("m", "INPUT", row("v " + sql)),
                            sql);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"MULTISET<INT>", "INTERVAL YEAR TO MONTH", "ARRAY<MULTISET<STRING>>"})
    void aTypeArrowCannotCarryIsRefusedNamingModelSideAndColumn(String type) {
        ValidationException e = assertThrows(ValidationException.class,
                () -> ArrowTypeSupport.checkSupported("m", "OUTPUT", row("ok INT, bad " + type)));
        assertTrue(
                e.getMessage().startsWith("Model 'm': OUTPUT column 'bad' has type "),
                e.getMessage());
    }

    @Test
    void aModelWithoutColumnsIsRefused() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> ArrowTypeSupport.checkSupported(
                        "m", "INPUT", new RowType(Collections.emptyList())));
        assertEquals("Model 'm' declares no INPUT columns.", e.getMessage());
    }

    @Test
    void mapKeysBecomeNotNullAtAnyDepthAndNothingElseChanges() {
        RowType type = row("a ARRAY<MAP<STRING, INT>>, r ROW<m MAP<INT, STRING> NOT NULL>");
        RowType arrow = (RowType) ArrowTypeSupport.forArrow(type);
        assertEquals(
                row("a ARRAY<MAP<STRING NOT NULL, INT>>, r ROW<m MAP<INT NOT NULL, STRING> NOT NULL>"),
                arrow);
        assertTrue(type.getTypeAt(0).getChildren().get(0).getChildren().get(0).isNullable(),
                "the declared type is left as it was");
    }

    @Test
    void containsLooksAtEveryDepth() {
        RowType type = row("a INT, r ROW<x ARRAY<MAP<STRING, TIMESTAMP(9)>>>");
        assertTrue(ArrowTypeSupport.contains(type, t -> t.is(LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE)));
        assertFalse(ArrowTypeSupport.contains(type, t -> t.is(LogicalTypeRoot.BOOLEAN)));
    }
}
