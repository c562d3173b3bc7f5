package dev.crossbar.gateway.usage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The records waiting for the database, at most {@code capacity}: while the database is away they wait here,
 * and a record that finds the buffer full is dropped and counted. Request threads add; the writer takes
 * batches and puts back a batch it could not write (ahead of the newer ones, so the order holds).
 */
final class UsageBuffer {

    private final int capacity;
    private final ArrayDeque<UsageRecord> waiting = new ArrayDeque<>();
    private long dropped;
    private long written;

    UsageBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Keeps the record, or counts it dropped when the buffer is full. */
    synchronized boolean add(UsageRecord record) {
        if (waiting.size() >= capacity) {
            dropped++;
            return false;
        }
        waiting.addLast(record);
        return true;
    }

    /** Up to {@code max} of the oldest records, taken out. */
    synchronized List<UsageRecord> take(int max) {
        List<UsageRecord> batch = new ArrayList<>(Math.min(max, waiting.size()));
        while (batch.size() < max && !waiting.isEmpty()) {
            batch.add(waiting.pollFirst());
        }
        return batch;
    }

    /**
     * A batch that could not be written goes back ahead of the rest. Records that came in meanwhile may have
     * filled the room it left: the newest then go, so the buffer stays within its bound.
     */
    synchronized void putBack(List<UsageRecord> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            waiting.addFirst(batch.get(i));
        }
        while (waiting.size() > capacity) {
            waiting.pollLast();
            dropped++;
        }
    }

    synchronized void written(int count) {
        written += count;
    }

    synchronized int size() {
        return waiting.size();
    }

    synchronized long dropped() {
        return dropped;
    }

    synchronized long writtenTotal() {
        return written;
    }
}
