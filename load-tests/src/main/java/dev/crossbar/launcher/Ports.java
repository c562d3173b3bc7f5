package dev.crossbar.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on 127.0.0.1 for nodes, mocks and proxies started by tests and benchmarks, taken outside the kernel's
 * ephemeral range where the machine leaves room for that ({@link PortSpace}): a node once failed to start in CI
 * because the port found free for it went to an outgoing connection first.
 */
public final class Ports {

    private static final int EPHEMERAL_LOW_DEFAULT = 32_768;
    private static final int EPHEMERAL_HIGH_DEFAULT = 60_999;
    private static final PortSpace SPACE = ephemeralRange();
    /**
     * Every port handed out by this JVM, never handed out again: a port given to a process that has not bound
     * it yet looks free (nginx was once given a Hazelcast member's port so, and the members answered its clients).
     */
    private static final Set<Integer> GIVEN = new HashSet<>(); // under the class's lock

    private Ports() {}

    /** A port that was free a moment ago and was not handed out before. */
    public static int free() {
        return freeRun(1);
    }

    /** A run of {@code count} consecutive free ports (for Hazelcast members), none handed out before. */
    public static synchronized int freeRun(int count) {
        int base = SPACE.findRun(count, ThreadLocalRandom.current().nextInt(SPACE.size()), Ports::usable);
        for (int p = base; p < base + count; p++) {
            GIVEN.add(p);
        }
        return base;
    }

    private static boolean usable(int port) {
        if (GIVEN.contains(port)) {
            return false;
        }
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The ports outside the kernel's range for outgoing connections (Linux; 32768-60999 elsewhere). */
    private static PortSpace ephemeralRange() {
        try {
            String[] bounds = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim()
                    .split("\\s+", -1);
            return PortSpace.outside(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
        } catch (IOException | RuntimeException e) {
            return PortSpace.outside(EPHEMERAL_LOW_DEFAULT, EPHEMERAL_HIGH_DEFAULT);
        }
    }
}
