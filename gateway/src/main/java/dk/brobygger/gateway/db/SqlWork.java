package dk.brobygger.gateway.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection inside a transaction that {@link Database} opens and ends. */
@FunctionalInterface
public interface SqlWork<T> {

  T run(Connection c) throws SQLException;
}
