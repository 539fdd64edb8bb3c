package paperkg.neo4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * A Neo4j Community DBMS for paperkg's tests and benchmarks.
 *
 * <pre>
 * serve HOME PORT        Bolt on 127.0.0.1:PORT, auth on: user neo4j, password from $PAPERKG_NEO4J_PASSWORD.
 *                        Prints one "ready" line, runs until its standard input closes, then shuts down.
 * admin HOME ARGS...     neo4j-admin ARGS with HOME as NEO4J_HOME (e.g. database import full neo4j ...).
 * </pre>
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws IOException {
        if (args.length >= 3 && args[0].equals("serve")) {
            serve(Path.of(args[1]).toAbsolutePath(), Integer.parseInt(args[2]));
        } else if (args.length >= 2 && args[0].equals("admin")) {
            System.exit(admin(Path.of(args[1]).toAbsolutePath(), Arrays.copyOfRange(args, 2, args.length)));
        } else {
            System.err.println("usage: serve HOME PORT | admin HOME NEO4J_ADMIN_ARGS...");
            System.exit(64);
        }
    }

    static void serve(Path home, int port) throws IOException {
        String password = System.getenv("PAPERKG_NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            throw new IllegalArgumentException("set PAPERKG_NEO4J_PASSWORD (8 characters or more)");
        }
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        System.out.println("paperkg-neo4j ready bolt://127.0.0.1:" + port);
        System.out.flush();
        while (System.in.read() != -1) {
            // the parent holds our stdin open; EOF (parent gone or done) means stop
        }
        System.exit(0); // the shutdown hook stops the DBMS
    }

    static int admin(Path home, String[] args) throws IOException {
        Path conf = home.resolve("conf");
        Files.createDirectories(conf);
        if (!Files.exists(conf.resolve("neo4j.conf"))) {
            Files.writeString(conf.resolve("neo4j.conf"), "");
        }
        return AdminTool.execute(new ExecutionContext(home, conf), args);
    }
}
