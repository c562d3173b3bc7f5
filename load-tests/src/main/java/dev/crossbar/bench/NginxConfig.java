package dev.crossbar.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The config of an nginx the bench runs ({@link dev.crossbar.launcher.NginxProcess}) from a prefix of its
 * own: as the upstream that answers a fixed chat.completion, as a plain reverse proxy, and as the load
 * balancer in front of several nodes. Loopback only; keep-alive everywhere, no access log.
 */
final class NginxConfig {

    /** What the fixed upstream answers to every request (an OpenAI chat.completion). */
    static final String COMPLETION = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1767225600,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"echo: hello\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":3,\"total_tokens\":6}}";

    private final StringBuilder servers = new StringBuilder();
    private final int workers;

    NginxConfig(int workers) {
        this.workers = workers;
    }

    /** A server answering every request with {@link #COMPLETION}. */
    NginxConfig fixedAnswer(int port) {
        servers.append("""
                  server {
                    listen 127.0.0.1:%d;
                    location / { default_type application/json; return 200 '%s'; }
                  }
                """.formatted(port, COMPLETION));
        return this;
    }

    /** A reverse proxy to the given ports (round robin), with pooled keep-alive upstream connections. */
    NginxConfig proxy(String name, int port, List<Integer> upstreams, boolean buffering) {
        StringBuilder ups = new StringBuilder();
        for (int p : upstreams) {
            ups.append("    server 127.0.0.1:").append(p).append(" max_fails=0;\n");
        }
        servers.append("""
                  upstream %s {
                %s    keepalive 256;
                    keepalive_requests 100000000;
                    keepalive_timeout 300s;
                  }
                  server {
                    listen 127.0.0.1:%d;
                    location / {
                      proxy_pass http://%s;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_buffering %s;
                      proxy_read_timeout 120s;
                    }
                  }
                """.formatted(name, ups, port, name, buffering ? "on" : "off"));
        return this;
    }

    /** Writes {@code workDir/name/nginx.conf}, with nginx's temp files beside it; returns the file. */
    Path write(String name, Path workDir) throws IOException {
        Path prefix = workDir.resolve(name);
        Files.createDirectories(prefix.resolve("tmp"));
        // Workers may run as an unprivileged user; let them write their temp files.
        Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(prefix.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        String conf = """
                master_process on;
                worker_processes %d;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 8192; }
                http {
                  access_log off;
                  client_body_temp_path %s/tmp/body;
                  proxy_temp_path %s/tmp/proxy;
                  fastcgi_temp_path %s/tmp/fastcgi;
                  uwsgi_temp_path %s/tmp/uwsgi;
                  scgi_temp_path %s/tmp/scgi;
                  keepalive_timeout 300s;
                  keepalive_requests 100000000;
                %s}
                """.formatted(workers, prefix, prefix, prefix, prefix, prefix, prefix, prefix, servers);
        Path file = prefix.resolve("nginx.conf");
        Files.writeString(file, conf);
        return file;
    }
}
