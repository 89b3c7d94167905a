package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) for the page
 * tests. Where they are missing the tests are skipped, except in CI ({@code CI=true} or
 * {@code BROWSER_TESTS=required}), where a missing browser fails the build.
 */
final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(20);

  final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Browser start() throws Exception {
    boolean required = "true".equalsIgnoreCase(System.getenv("CI")) || "required".equals(System.getenv("BROWSER_TESTS"));
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && required) {
      throw new AssertionError("browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
    }
    Assumptions.assumeTrue(present, "no chromium/chromedriver here: apt-get install chromium chromium-driver to run the browser tests");
    Path profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // the machine's network is closed: Chromium's own background traffic only slows it down
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic", "--window-size=" + System.getenv().getOrDefault("BROWSER_WINDOW", "1280,900"), "--lang=zh-CN", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement waitFor(String css) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
  }

  WebElement waitForVisible(String css) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  /** Clicks the element once it can be clicked (scrolled into view, enabled, not covered). */
  void click(String css) {
    // live pages redraw as events arrive: an element found a moment ago may have been replaced
    new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
      WebElement e = ExpectedConditions.elementToBeClickable(By.cssSelector(css)).apply(d);
      if (e == null) return false;
      ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block:'center'})", e);
      e.click();
      return true;
    });
  }

  void type(String css, String text) {
    new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
      WebElement e = ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)).apply(d);
      if (e == null) return false;
      e.clear();
      e.sendKeys(text);
      // a live page may refill the field between the clear and the keys: then type it again
      return text.equals(e.getAttribute("value"));
    });
  }

  void waitUntilAttribute(String css, String attribute, String value) {
    new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      if (found.isEmpty()) return false;
      String actual = found.get(0).getAttribute(attribute);
      return actual != null && value.equals(actual.strip());
    });
  }

  void waitUntilCount(String css, int atLeast) {
    new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.cssSelector(css)).size() >= atLeast);
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Script errors the page threw (not failed requests, which pages answer themselves). */
  void assertNoScriptErrors() {
    List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !m.contains("Failed to load resource"))
        .toList();
    assertThat(errors).as("script errors in the browser console").isEmpty();
  }

  /** With {@code PAGE_SCREENSHOTS=<dir>}, a picture of the page at this step, for whoever works on the pages. */
  void snap(String name) {
    String dir = System.getenv("PAGE_SCREENSHOTS");
    if (dir != null && !dir.isBlank()) screenshot(Path.of(dir, name + ".png"));
  }

  /** A picture of the page, for a failing test's report. */
  void screenshot(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (Exception e) {
      // a screenshot is a courtesy; the assertion that failed says what matters
    }
  }

  @Override
  public void close() throws Exception {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
