package dev.crossbar.gateway.metrics;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Standard output for the access log, flushed every {@value #FLUSH_MILLIS} ms (or when its 32 KB fill)
 * instead of after every line. logback's ConsoleAppender goes through {@code System.out}, which flushes
 * each line with its own write(2): at ~10k requests/s the access log's writer thread spent about 13% of
 * the node's CPU in those calls (docs/benchmarks.md). A line reaches stdout within the flush period.
 * Lines are written whole, so they never split or interleave mid-line with other appenders' lines. With an
 * {@link AccessLineEncoder} (logback.xml's), a line is encoded into a reused buffer and copied into the stream's.
 */
public final class BufferedStdoutAppender<E> extends OutputStreamAppender<E> {

    static final long FLUSH_MILLIS = 200;

    private final OutputStream target;
    private @Nullable ScheduledExecutorService flusher;

    public BufferedStdoutAppender() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    /** Writes to {@code target} instead of standard output (tests). */
    BufferedStdoutAppender(OutputStream target) {
        this.target = target;
    }

    @Override
    public void start() {
        // Never closes file descriptor 1: stopping the appender only flushes.
        OutputStream stdout = new FilterOutputStream(new BufferedOutputStream(target, 32 * 1024)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        setOutputStream(stdout);
        setImmediateFlush(false);
        super.start();
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crossbar-access-log-flush");
            t.setDaemon(true);
            return t;
        });
        // Nothing waits on the schedule: stop() shuts the executor down and flushNow reports its own errors.
        var unused = flusher.scheduleWithFixedDelay(this::flushNow, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(this::flushNow, "crossbar-access-log-flush-at-exit"));
    }

    /**
     * With an {@link AccessLineEncoder}, the line goes from the encoder's buffer straight into the stream's, under
     * the appender's lock as logback's own path writes it; with any other encoder, as logback writes it.
     */
    @Override
    protected void writeOut(E event) throws IOException {
        if (!(getEncoder() instanceof AccessLineEncoder line) || !(event instanceof ILoggingEvent logged)) {
            super.writeOut(event);
            return;
        }
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            if (isStarted() && out != null) {
                line.write(logged, out);
            }
        } finally {
            streamWriteLock.unlock();
        }
    }

    /** Writes out what is buffered; under the appender's own lock, so never in the middle of a line. */
    void flushNow() {
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            addError("could not flush standard output", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        flushNow();
        super.stop();
    }
}
