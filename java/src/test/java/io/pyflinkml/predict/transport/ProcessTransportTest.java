package io.pyflinkml.predict.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Random;

/**
 * The worker subprocess's framing, pipelining and death reports, with small shell scripts as
 * the 'python' (a script gets the worker's arguments and environment; 'cat' echoes each frame).
 */
class ProcessTransportTest {

    @TempDir Path temp;

    private PythonLaunch script(String body) throws IOException {
        Path script = temp.resolve("fake-python");
        Files.write(script, ("#!/bin/sh\n" + body + "\n").getBytes(StandardCharsets.UTF_8));
        assertTrue(script.toFile().setExecutable(true));
        return PythonLaunch.of(script.toString());
    }

    @Test
    void answersComeBackInTheOrderRequestsWereSent() throws Exception {
        try (ProcessTransport echo = new ProcessTransport("echo", script("exec cat"))) {
            byte[] big = new byte[32 * 1024];
            new Random(1).nextBytes(big);
            echo.send("one".getBytes());
            echo.send(new byte[0]);
            echo.send(big);
            assertArrayEquals("one".getBytes(), echo.receive());
            assertArrayEquals(new byte[0], echo.receive());
            assertArrayEquals(big, echo.receive());
            assertArrayEquals("two".getBytes(), echo.call("two".getBytes()));
        }
    }

    @Test
    void aWorkerThatExitsIsReportedWithItsCodeAndLastWords() throws Exception {
        try (ProcessTransport worker = new ProcessTransport("m subtask 0/1",
                script("echo 'loading weights' >&2; echo 'weights.bin is missing' >&2; exit 7"))) {
            PythonWorkerException e = assertThrows(PythonWorkerException.class, worker::receive);
            assertTrue(e.getMessage().matches(
                    "(?s)The Python worker \\(pid \\d+\\) of m subtask 0/1 exited with code 7\\..*"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith(
                    "Last lines the worker wrote to stderr:\nloading weights\nweights.bin is missing"),
                    e.getMessage());
        }
    }

    @Test
    void aKilledWorkerIsReportedWithItsSignal() throws Exception {
        try (ProcessTransport worker = new ProcessTransport("m", script("exec cat"))) {
            worker.kill();
            PythonWorkerException e = assertThrows(PythonWorkerException.class, worker::receive);
            assertTrue(e.getMessage().contains("was killed by signal 9 (SIGKILL)"), e.getMessage());
        }
    }

    @Test
    void theWorkerGetsTheModuleItsEnvironmentAndWorkingDirectory() throws Exception {
        Path work = Files.createDirectories(temp.resolve("work"));
        PythonLaunch plain = script("echo \"$*|$EXTRA|$PYTHONIOENCODING|$(pwd)\" >&2; exit 1");
        PythonLaunch launch = new PythonLaunch(plain.executable(),
                Collections.singletonMap("EXTRA", "from python.files"), work.toString(), null);
        try (ProcessTransport worker = new ProcessTransport("m", launch)) {
            String message = assertThrows(PythonWorkerException.class, worker::receive).getMessage();
            assertTrue(message.endsWith("\n-u -m pyflink_ml_predict.runtime.worker|from python.files|utf-8|"
                    + work.toRealPath()), message);
        }
    }

    @Test
    void aMissingInterpreterIsReportedNamingTheOption() {
        PythonWorkerException e = assertThrows(PythonWorkerException.class,
                () -> new ProcessTransport("m", PythonLaunch.of(temp.resolve("no-python").toString())));
        assertTrue(e.getMessage().startsWith("Cannot start the Python worker of m with '"
                + temp.resolve("no-python") + "' (set 'python.executable'"), e.getMessage());
    }

    @Test
    void closingEndsTheWorkerAndLaterSendsFail() throws Exception {
        ProcessTransport echo = new ProcessTransport("echo", script("exec cat"));
        echo.close();
        echo.close();
        assertThrows(PythonWorkerException.class, () -> echo.send("late".getBytes()));
    }
}
