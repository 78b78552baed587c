package io.pyflinkml.predict.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.NOPLogger;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

class LinePumpTest {

    /** Pumps {@code bytes} to its end; returns the pump. */
    private static LinePump pump(byte[] bytes, Logger log, int tailLines) throws InterruptedException {
        LinePump pump = new LinePump(new ByteArrayInputStream(bytes), log, "w", tailLines, "test-pump");
        pump.join(5000);
        return pump;
    }

    private static LinePump pump(String text, int tailLines) throws InterruptedException {
        return pump(text.getBytes(StandardCharsets.UTF_8), NOPLogger.NOP_LOGGER, tailLines);
    }

    /** A logger that records the text of each info call ("[prefix] line"). */
    private static Logger recording(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(
                Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("info") && args.length == 3) {
                        lines.add("[" + args[1] + "] " + args[2]);
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
    }

    @Test
    void crLfAndCrEndLinesAndTheLastLineNeedsNoNewline() throws Exception {
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        pump("one\r\ntwo\nprogress 1%\rprogress 2%\rlast".getBytes(StandardCharsets.UTF_8),
                recording(logged), 10);
        assertEquals(
                List.of("[w] one", "[w] two", "[w] progress 1%", "[w] progress 2%", "[w] last"),
                logged);
    }

    @Test
    void theTailKeepsOnlyTheLastLines() throws Exception {
        LinePump pump = pump("a\nb\nc\nd\n", 2);
        assertEquals("c\nd", pump.tail());
        assertEquals("", pump("a\n", 0).tail());
    }

    @Test
    void aHugeLineIsLoggedInPieces() throws Exception {
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        pump(("x".repeat(20_000) + "\n").getBytes(StandardCharsets.UTF_8), recording(logged), 5);
        assertEquals(3, logged.size());
        assertEquals("[w] " + "x".repeat(8192), logged.get(0));
        assertEquals("[w] " + "x".repeat(20_000 - 2 * 8192), logged.get(2));
    }

    @Test
    void malformedUtf8BecomesReplacementCharacters() throws Exception {
        LinePump pump = pump(new byte[] {'o', 'k', (byte) 0xff, '\n'}, NOPLogger.NOP_LOGGER, 1);
        assertEquals("ok\ufffd", pump.tail());
    }

    /** A blocked writer is a hung model: the pump drains even when logging fails. */
    @Test
    void aFailingLoggerDoesNotStopTheDraining() throws Exception {
        Logger failing = (Logger) Proxy.newProxyInstance(
                Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    throw new IllegalStateException("appender broken");
                });
        LinePump pump = pump("1\n2\n3\n".getBytes(StandardCharsets.UTF_8), failing, 5);
        assertTrue(pump.tail().endsWith("3"), pump.tail());
    }
}
