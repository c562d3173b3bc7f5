package dev.crossbar.launcher;

import dev.crossbar.gateway.cli.Args;
import dev.crossbar.gateway.config.ConfigException;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code crossbar cluster-files --config FILE --nodes N [--port 8080] [--member-port P] --dir DIR}: writes
 * the node configs and nginx.conf of a local cluster (what {@code deploy/local/cluster.sh} starts) and
 * prints the node config paths, one a line. nginx listens on the port, the nodes on the ports above it.
 */
final class ClusterFilesCommand {

    private ClusterFilesCommand() {}

    static int run(Args args) {
        args.allow(List.of("config", "nodes", "port", "member-port", "dir"));
        String config = args.get("config");
        String dir = args.get("dir");
        if (config == null || dir == null) {
            throw new Args.UsageException("cluster-files needs --config FILE.yaml and --dir DIR");
        }
        int nodes = args.integer("nodes", 3);
        if (nodes < 1 || nodes > 50) {
            throw new Args.UsageException("--nodes must be between 1 and 50, was " + nodes);
        }
        Path source = Path.of(config);
        if (!Files.isRegularFile(source)) {
            throw new Args.UsageException("no config file " + source);
        }
        GatewayConfig base;
        try {
            base = new ConfigLoader().load(source);
        } catch (ConfigException e) {
            System.err.println("crossbar: config error: " + e.getMessage());
            return 2;
        }
        int port = args.integer("port", base.node().port());
        int memberPort = args.integer("member-port", base.cluster().port());
        LocalCluster.Layout layout = LocalCluster.Layout.consecutive(port, nodes, memberPort);
        Path out = Path.of(dir);
        List<Path> files;
        try {
            files = LocalCluster.writeNodeConfigs(source, layout, out, System::getenv);
        } catch (ConfigException e) {
            System.err.println("crossbar: config error: " + e.getMessage());
            return 2;
        }
        LocalCluster.writeNginxConfig(LocalCluster.repoRoot().resolve(LocalCluster.NGINX_TEMPLATE), layout, out);
        files.forEach(f -> System.out.println(f.toAbsolutePath()));
        return 0;
    }
}
