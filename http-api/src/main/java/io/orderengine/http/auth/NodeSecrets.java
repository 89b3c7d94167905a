package io.orderengine.http.auth;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import javax.sql.DataSource;

/** Secrets kept in the database: made by whichever node asks first, the same for every node after. */
public final class NodeSecrets {
  private NodeSecrets() {}

  public static String loadOrCreate(DataSource dataSource, String name) throws SQLException {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO node_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
        insert.setString(1, name);
        insert.setString(2, Base64.getUrlEncoder().withoutPadding().encodeToString(fresh));
        insert.executeUpdate();
      }
      try (PreparedStatement select = c.prepareStatement("SELECT value FROM node_secrets WHERE name = ?")) {
        select.setString(1, name);
        try (ResultSet rs = select.executeQuery()) {
          if (!rs.next()) throw new SQLException("secret " + name + " vanished after it was written");
          return rs.getString(1);
        }
      }
    }
  }
}
