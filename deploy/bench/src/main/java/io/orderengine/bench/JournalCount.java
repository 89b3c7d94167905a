package io.orderengine.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** How many events the journal holds: what was committed, whatever the clients were told. */
public final class JournalCount {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0], args[1], args.length > 2 ? args[2] : "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM event_journal")) {
      rs.next();
      System.out.println(rs.getLong(1));
    }
  }
}
