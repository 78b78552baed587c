package io.pyflinkml.predict;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;

/**
 * tests/fixtures/shared_rules.json: the values of the rules that the Java and the Python side
 * both apply, which the tests of each side check their code against.
 */
public final class SharedRules {

    private SharedRules() {}

    public static JsonNode get() throws IOException {
        try (InputStream in = SharedRules.class.getResourceAsStream("/shared_rules.json")) {
            if (in == null) {
                throw new IOException("shared_rules.json is not on the test classpath"
                        + " (java/run-tests.sh copies it from tests/fixtures)");
            }
            return new ObjectMapper().readTree(in);
        }
    }
}
