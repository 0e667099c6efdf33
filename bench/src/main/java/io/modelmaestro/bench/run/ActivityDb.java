package io.modelmaestro.bench.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Counts the gateway's persisted activity rows straight in its embedded PostgreSQL: the port comes from the server's
 * {@code postmaster.pid} in the data directory (line 4); the embedded server trusts local connections as {@code
 * postgres}.
 */
public final class ActivityDb implements AutoCloseable {

    private final Connection connection;
    private final int port;

    private ActivityDb(Connection connection, int port) {
        this.connection = connection;
        this.port = port;
    }

    public static ActivityDb open(Path pgData) throws Exception {
        int port = port(pgData.resolve("postmaster.pid"));
        Connection c = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres?ApplicationName=maestro-bench", "postgres", "");
        c.setAutoCommit(true);
        return new ActivityDb(c, port);
    }

    static int port(Path postmasterPid) throws Exception {
        List<String> lines = Files.readAllLines(postmasterPid);
        return Integer.parseInt(lines.get(3).strip());
    }

    /** The PID of the embedded server (first line of postmaster.pid). */
    public static long postmasterPid(Path pgData) {
        try {
            return Long.parseLong(
                    Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).strip());
        } catch (Exception e) {
            return -1;
        }
    }

    public int port() {
        return port;
    }

    public long count() throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM activity_logs")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public String setting(String name) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
