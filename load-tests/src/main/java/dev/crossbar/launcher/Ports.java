package dev.crossbar.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free ports on 127.0.0.1 for nodes, mocks and proxies started by tests and benchmarks. They are taken
 * below the kernel's ephemeral range: a port found free there can be handed to an outgoing connection
 * before the process meant for it binds it (a node once failed to start so in CI).
 */
public final class Ports {

    private static final int LOWEST = 10_000;
    private static final int EPHEMERAL_DEFAULT = 32_768;
    /**
     * Every port handed out by this JVM, never handed out again: a port given to a process that has not bound
     * it yet looks free (nginx was once given a Hazelcast member's port so, and the members answered its clients).
     */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private Ports() {}

    /** A port that was free a moment ago and was not handed out before. */
    public static int free() {
        return freeRun(1);
    }

    /** A run of {@code count} consecutive free ports (for Hazelcast members), none handed out before. */
    public static synchronized int freeRun(int count) {
        int span = ephemeralStart() - LOWEST - count;
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = LOWEST + (int) (Math.random() * span);
            boolean allFree = true;
            for (int p = base; p < base + count && allFree; p++) {
                if (GIVEN.contains(p)) {
                    allFree = false;
                    break;
                }
                try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException taken) {
                    allFree = false;
                }
            }
            if (allFree) {
                for (int p = base; p < base + count; p++) {
                    GIVEN.add(p);
                }
                return base;
            }
        }
        throw new IllegalStateException("no run of " + count + " free ports");
    }

    /** The first port the kernel hands to outgoing connections (Linux; 32768 elsewhere). */
    private static int ephemeralStart() {
        try {
            int start = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim()
                    .split("\\s+", -1)[0]);
            return Math.max(LOWEST + 1_000, start);
        } catch (IOException | RuntimeException e) {
            return EPHEMERAL_DEFAULT;
        }
    }
}
