package io.pyflinkml.predict.runtime;

import static io.pyflinkml.predict.runtime.PythonWorkers.x;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.table.data.GenericRowData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collections;

/** MAP['async', 'false']: one round trip per row, against a real worker. */
@Timeout(60)
class SyncModelFunctionTest {

    @Test
    void eachRowIsARoundTripAndAFailingRowRaisesThePythonError() throws Exception {
        SyncModelFunction function = new SyncModelFunction(PythonWorkers.model("Batches").build());
        function.open(PythonWorkers.outsideTask());
        try {
            assertEquals(Collections.singletonList(GenericRowData.of(3, 1)), function.predict(x(3)));
            assertEquals(Collections.singletonList(GenericRowData.of(null, 1)), function.predict(x(null)));
            PythonModelException e = assertThrows(PythonModelException.class, () -> function.predict(x(-4)));
            assertTrue(e.getMessage().contains("negative x -4"), e.getMessage());
        } finally {
            function.close();
        }
    }
}
