package io.orderengine.deploy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a node is told by its environment (shared/API.md lists every variable). Read once at start;
 * a bad value stops the node with a sentence saying which variable is wrong.
 */
public record NodeSettings(
    int httpPort,
    Path dataDir,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    String clusterHost,
    int clusterPort,
    List<String> seedNodes,
    int managementPort,
    boolean demo,
    String apiTokens,
    int embeddedDatabasePort,
    String discovery,
    String dinerTokenSecret,
    String publicUrl,
    int demoTables) {

  public NodeSettings(int httpPort, Path dataDir, String databaseUrl, String databaseUser, String databasePassword,
      String clusterHost, int clusterPort, List<String> seedNodes, int managementPort, boolean demo, String apiTokens,
      int embeddedDatabasePort) {
    this(httpPort, dataDir, databaseUrl, databaseUser, databasePassword, clusterHost, clusterPort, seedNodes,
        managementPort, demo, apiTokens, embeddedDatabasePort, null, null, null, DEFAULT_DEMO_TABLES);
  }

  /** Nodes find each other through Kubernetes' API server (cluster bootstrap) rather than seed nodes. */
  public boolean bootstrap() {
    return "kubernetes-api".equals(discovery);
  }

  public boolean embeddedDatabase() {
    return databaseUrl == null || databaseUrl.isBlank();
  }

  public static NodeSettings fromEnvironment(Map<String, String> env) {
    String databaseUrl = blankToNull(env.get("DATABASE_URL"));
    boolean demo = env.containsKey("DEMO") && !env.get("DEMO").isBlank()
        ? bool(env, "DEMO")
        : databaseUrl == null;
    String seeds = env.getOrDefault("CLUSTER_SEED_NODES", "");
    return new NodeSettings(
        port(env, "HTTP_PORT", 8080),
        Path.of(env.getOrDefault("DATA_DIR", "./data")).toAbsolutePath().normalize(),
        databaseUrl == null ? null : jdbcUrl(databaseUrl),
        blankToNull(env.get("DATABASE_USER")),
        blankToNull(env.get("DATABASE_PASSWORD")),
        env.getOrDefault("CLUSTER_HOST", "127.0.0.1"),
        port(env, "CLUSTER_PORT", 25520),
        Arrays.stream(seeds.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
        port(env, "MANAGEMENT_PORT", 8558),
        demo,
        env.get("API_TOKENS"),
        port(env, "EMBEDDED_DB_PORT", 0),
        discovery(env.get("CLUSTER_DISCOVERY")),
        secret(env.get("DINER_TOKEN_SECRET")),
        publicUrl(env.get("PUBLIC_URL")),
        demoTables(env.get("DEMO_TABLES")));
  }

  static final int DEFAULT_DEMO_TABLES = 30;

  /** How many tables the demo venue has: 30, or up to 100,000 for a benchmark's lunch rush. */
  private static int demoTables(String v) {
    if (v == null || v.isBlank()) return DEFAULT_DEMO_TABLES;
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 1 || n > 100_000) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("DEMO_TABLES must be 1..100000, not '" + v + "'");
    }
  }

  private static String secret(String v) {
    if (v == null || v.isBlank()) return null;
    if (v.strip().length() < 16) throw new IllegalArgumentException("DINER_TOKEN_SECRET needs at least 16 characters");
    return v.strip();
  }

  /** Where diners reach the node, for the links in the table cards' QR codes: {@code https://pos.example.com}. */
  private static String publicUrl(String v) {
    if (v == null || v.isBlank()) return null;
    String url = v.strip().replaceAll("/+$", "");
    if (!url.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
      throw new IllegalArgumentException("PUBLIC_URL must be an http(s) address such as https://pos.example.com, not '" + v + "'");
    }
    return url;
  }

  private static String discovery(String v) {
    if (v == null || v.isBlank() || v.strip().equals("seed-nodes")) return null;
    if (v.strip().equals("kubernetes-api")) return "kubernetes-api";
    throw new IllegalArgumentException("CLUSTER_DISCOVERY must be seed-nodes or kubernetes-api, not '" + v + "'");
  }

  /** Accepts {@code jdbc:postgresql://...} and the common {@code postgres://} form. */
  static String jdbcUrl(String url) {
    if (url.startsWith("jdbc:")) return url;
    if (url.startsWith("postgres://")) return "jdbc:postgresql://" + url.substring("postgres://".length());
    if (url.startsWith("postgresql://")) return "jdbc:" + url;
    throw new IllegalArgumentException("DATABASE_URL must be a JDBC URL such as jdbc:postgresql://host:5432/db");
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    String v = blankToNull(env.get(name));
    if (v == null) return fallback;
    try {
      int p = Integer.parseInt(v.strip());
      if (p < 0 || p > 65535) throw new NumberFormatException();
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a port number 0..65535, not '" + v + "'");
    }
  }

  private static boolean bool(Map<String, String> env, String name) {
    String v = env.get(name).strip().toLowerCase();
    return switch (v) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, not '" + v + "'");
    };
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  public NodeSettings withHttpPort(int port) {
    return new NodeSettings(port, dataDir, databaseUrl, databaseUser, databasePassword, clusterHost, clusterPort,
        seedNodes, managementPort, demo, apiTokens, embeddedDatabasePort, discovery, dinerTokenSecret, publicUrl,
        demoTables);
  }
}
