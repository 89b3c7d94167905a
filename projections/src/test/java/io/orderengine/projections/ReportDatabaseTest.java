package io.orderengine.projections;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test of the read side on a real (embedded) PostgreSQL with the report tables: one database per
 * test class, emptied before each test.
 */
abstract class ReportDatabaseTest {
  static ReportDatabase db;

  @BeforeAll
  static void startDatabase() throws Exception {
    db = ReportDatabase.start();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    db.close();
  }

  @BeforeEach
  void emptyDatabase() throws Exception {
    db.empty();
  }
}
