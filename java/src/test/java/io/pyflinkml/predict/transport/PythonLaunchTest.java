package io.pyflinkml.predict.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

class PythonLaunchTest {

    @Test
    void aPlainLaunchAddsNothing() {
        PythonLaunch launch = PythonLaunch.of("python3");
        assertEquals("python3", launch.executable());
        assertTrue(launch.environment().isEmpty());
        assertNull(launch.workingDirectory());
        assertNull(launch.pythonHome());
    }

    @Test
    void theEnvironmentIsACopyThatCannotBeChanged() {
        Map<String, String> environment = new HashMap<>();
        environment.put("PYTHONPATH", "/deps");
        PythonLaunch launch = new PythonLaunch("python3", environment, "/work", null);
        environment.put("LATE", "x");
        assertEquals(1, launch.environment().size());
        assertThrows(UnsupportedOperationException.class, () -> launch.environment().put("A", "b"));
        assertEquals("PythonLaunch{python3, PYTHONPATH=/deps, cwd=/work}", launch.toString());
    }
}
