package io.pyflinkml.predict.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;

class TextTokensTest {

    @Test
    void tokensAreLowerCaseRunsOfLettersAndDigits() {
        assertEquals(Arrays.asList("hello", "world"), TextTokens.of("Hello, world!"));
        assertEquals(Arrays.asList("it", "s", "2024", "ünïcödé", "日本語"),
                TextTokens.of("It's 2024 -- ÜNÏCÖDÉ 日本語"));
        assertEquals(Collections.emptyList(), TextTokens.of(" \t?! "));
    }

    /** Locale.ROOT: a Turkish default locale must not turn 'I' into a dotless 'ı'. */
    @Test
    void lowerCasingIgnoresTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(new java.util.Locale("tr", "TR"));
        try {
            assertEquals(Collections.singletonList("title"), TextTokens.of("TITLE"));
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
