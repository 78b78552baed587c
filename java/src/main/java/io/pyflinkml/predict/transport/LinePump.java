package io.pyflinkml.predict.transport;

import org.slf4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Logs what Python writes to its output, line by line, on a daemon thread, keeping the last
 * lines for error messages. Used by both transports, so print and friends land in Flink's log
 * the same way in either mode.
 *
 * <p>The pump must keep reading whatever happens: a writer blocks once the pipe is full, and a
 * blocked writer is a hung model.
 */
final class LinePump {

    /** Longer lines are logged in pieces: a MB without a newline must not become one record. */
    private static final int MAX_LINE_CHARS = 8192;

    private final Reader reader;
    private final Logger log;
    private final String prefix;
    private final int tailLines;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread thread;

    /** Starts pumping {@code in} (read as UTF-8; malformed bytes become U+FFFD). */
    LinePump(InputStream in, Logger log, String prefix, int tailLines, String threadName) {
        this.reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        this.log = log;
        this.prefix = prefix;
        this.tailLines = tailLines;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits up to {@code millis} for the stream's end, so a dead writer's last words are in. */
    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /** The last lines read, oldest first, joined by newlines; empty if none. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    private void run() {
        char[] chunk = new char[8192];
        StringBuilder line = new StringBuilder();
        boolean afterCr = false;
        try (Reader in = reader) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = chunk[i];
                    if (c == '\n' && afterCr) { // \r\n ends one line, not two
                        afterCr = false;
                        continue;
                    }
                    afterCr = c == '\r';
                    // \r too: a progress bar's redraws become lines of their own
                    if (c == '\n' || c == '\r') {
                        emit(line);
                    } else {
                        line.append(c);
                        if (line.length() == MAX_LINE_CHARS) {
                            emit(line);
                        }
                    }
                }
            }
            if (line.length() > 0) {
                emit(line);
            }
        } catch (IOException e) {
            // The writer is gone; the transport reports why.
        }
    }

    private void emit(StringBuilder line) {
        String text = line.toString();
        line.setLength(0);
        try {
            log.info("[{}] {}", prefix, text);
        } catch (RuntimeException | LinkageError e) {
            // A failing logger must not stop the draining (see the class comment).
        }
        if (tailLines > 0) {
            synchronized (tail) {
                if (tail.size() == tailLines) {
                    tail.removeFirst();
                }
                tail.addLast(text);
            }
        }
    }
}
