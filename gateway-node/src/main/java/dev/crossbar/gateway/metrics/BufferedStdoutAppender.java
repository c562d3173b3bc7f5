package dev.crossbar.gateway.metrics;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.filter.Filter;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Standard output for the access log, written in batches by a thread of its own: the caller (an event loop)
 * encodes its line into the batch being filled and goes on; the writer thread writes a batch out when it fills
 * ({@value #BATCH_BYTES} bytes) or every {@value #FLUSH_MILLIS} ms, with one write(2). So a line costs no system
 * call and no thread wake-up: logback's {@code AsyncAppender}, used before, woke its worker for almost every line
 * (two futex calls per request under load, by strace; docs/benchmarks.md).
 * A line reaches stdout within the flush period, whole; lines from one thread keep their order.
 *
 * <p>Never blocks the caller on output. There are two batches: while the writer writes one (standard output is
 * slow, or a pipe nobody reads) and the other fills up, further lines are dropped and counted, as the
 * {@code neverBlock} asynchronous appender dropped them when its queue was full. With an {@link AccessLineEncoder}
 * (logback.xml's) a line is encoded straight into the batch; any other encoder's bytes are copied in.
 */
public final class BufferedStdoutAppender<E> extends OutputStreamAppender<E> {

    static final long FLUSH_MILLIS = 200;
    static final int BATCH_BYTES = 1024 * 1024;

    private final OutputStream target;
    private final int batchBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition handedOff = lock.newCondition();

    /** The lines appended since the last hand-off. */
    private Batch filling;
    /** The other batch while nobody writes it; null while the writer holds it. */
    private @Nullable Batch spare;
    /** A full batch waiting for the writer. */
    private @Nullable Batch full;

    /** True once a filter is attached: its decisions need logback's event, so no line may skip it. */
    private volatile boolean filtered;

    private long dropped;
    private long droppedReported;
    private boolean running;
    private @Nullable Thread writer;

    public BufferedStdoutAppender() {
        this(new FileOutputStream(FileDescriptor.out), BATCH_BYTES);
    }

    /** Writes to {@code target} in batches of {@code batchBytes} (tests). */
    BufferedStdoutAppender(OutputStream target, int batchBytes) {
        this.target = target;
        this.batchBytes = batchBytes;
        this.filling = new Batch(batchBytes);
        this.spare = new Batch(batchBytes);
    }

    @Override
    public void start() {
        // The parent wants a stream; it is only ever written through the batches, and never closed.
        setOutputStream(OutputStream.nullOutputStream());
        setImmediateFlush(false);
        super.start();
        lock.lock();
        try {
            running = true;
        } finally {
            lock.unlock();
        }
        Thread t = new Thread(this::writeBatches, "crossbar-access-log-writer");
        t.setDaemon(true);
        writer = t;
        t.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::drain, "crossbar-access-log-flush-at-exit"));
    }

    /** Encodes the event into the batch being filled; never waits for output. */
    @Override
    protected void append(E event) {
        if (!isStarted()) {
            return;
        }
        Encoder<E> encoder = getEncoder();
        if (encoder instanceof AccessLineEncoder line && event instanceof ILoggingEvent logged) {
            lock.lock();
            try {
                line.write(logged, lineSink);
            } catch (IOException e) {
                addError("could not encode an access log line", e); // the sink never throws
            } finally {
                lock.unlock();
            }
            return;
        }
        byte[] encoded = encoder.encode(event);
        lock.lock();
        try {
            add(encoded);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends the line an event with {@code message} logged at {@code millis} would make, without the event: what
     * {@link AccessLog} writes when this appender is all its logger has. False when the appender is not started or
     * its encoder is not an {@link AccessLineEncoder}: the caller then logs the line the usual way.
     */
    public boolean appendLine(long millis, CharSequence message) {
        if (!isStarted() || !(getEncoder() instanceof AccessLineEncoder line)) {
            return false;
        }
        lock.lock();
        try {
            line.write(millis, message, lineSink);
        } catch (IOException e) {
            addError("could not encode an access log line", e); // the sink never throws
        } finally {
            lock.unlock();
        }
        return true;
    }

    @Override
    public void addFilter(Filter<E> filter) {
        filtered = true; // first: a line appended meanwhile goes through logback and the filter
        super.addFilter(filter);
    }

    @Override
    public void clearAllFilters() {
        super.clearAllFilters();
        filtered = false;
    }

    /** Whether a filter is attached (read per line, so without copying the filter list). */
    boolean filtered() {
        return filtered;
    }

    /** Where {@link AccessLineEncoder#write} puts a line: one call per line, under {@link #lock}. */
    private final OutputStream lineSink = new OutputStream() {
        @Override
        public void write(int b) {
            add(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            add(b, off, len);
        }
    };

    private void add(byte[] line) {
        add(line, 0, line.length);
    }

    /** Adds one whole line; hands the batch off first when the line does not fit, or drops the line. */
    private void add(byte[] line, int off, int len) {
        if (filling.size() > 0 && filling.size() + len > batchBytes) {
            Batch next = spare;
            if (next == null) {
                dropped++;
                return;
            }
            full = filling;
            filling = next;
            spare = null;
            handedOff.signal();
        }
        filling.write(line, off, len);
    }

    private void writeBatches() {
        while (true) {
            Batch batch;
            lock.lock();
            try {
                if (full == null && running) {
                    handedOff.await(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                }
                batch = take();
                if (batch == null && !running) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (batch != null) {
                writeOutAndReturn(batch);
            }
        }
    }

    /** The batch to write next, if any: the full one, or the one filling; under {@link #lock}. */
    private @Nullable Batch take() {
        Batch batch = full;
        if (batch != null) {
            full = null;
            return batch;
        }
        if (filling.size() == 0 || spare == null) {
            return null;
        }
        batch = filling;
        filling = spare;
        spare = null;
        return batch;
    }

    private void writeOutAndReturn(Batch batch) {
        try {
            batch.writeTo(target);
            target.flush();
        } catch (IOException e) {
            addError("could not write the access log to standard output", e);
        }
        long newlyDropped;
        lock.lock();
        try {
            batch.reset();
            batch.shrinkTo(batchBytes);
            spare = batch;
            newlyDropped = dropped - droppedReported;
            droppedReported = dropped;
        } finally {
            lock.unlock();
        }
        if (newlyDropped > 0) {
            String warning = newlyDropped + " access log lines dropped: standard output was too slow";
            addWarn(warning);
            System.err.println("crossbar: " + warning);
        }
    }

    /** Stops the writer and writes out everything appended so far, from the calling thread (stop, exit). */
    void drain() {
        Thread t = writer;
        lock.lock();
        try {
            running = false;
            handedOff.signal();
        } finally {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        while (true) {
            Batch rest;
            lock.lock();
            try {
                rest = take();
            } finally {
                lock.unlock();
            }
            if (rest == null) {
                return;
            }
            writeOutAndReturn(rest);
        }
    }

    /** Lines dropped because both batches were taken (tests, and the appender's own warnings). */
    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        drain();
        super.stop();
    }

    /** A byte array output stream that can give back a buffer a long line grew. */
    private static final class Batch extends ByteArrayOutputStream {

        Batch(int size) {
            super(size);
        }

        void shrinkTo(int size) {
            if (buf.length > size) {
                buf = new byte[size];
            }
        }
    }
}
