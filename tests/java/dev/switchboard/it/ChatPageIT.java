package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo's chat page (demo/src/main/webapp, on the module's browser client) in a real headless Chromium: Debian's
 * chromium and chromedriver, which .ci/run installs, driven by Selenium; no browser or driver is downloaded. The
 * page is served by a Liberty server of its own (port 9186), which one test stops and starts again. Every test ends
 * with no error in the browser's console, and saves a screenshot of each page under target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ChatPageIT {

    private static final int PORT = 9186;
    private static final String SITE = "http://localhost:" + PORT;
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static LibertyNode server;

    private final List<ChromeDriver> pages = new ArrayList<>();

    @BeforeAll
    static void start() {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium; .ci/run does)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromedriver (apt-get install chromium-driver)").isExecutable();
        server = new LibertyNode("browser", PORT, Map.of("switchboard.security.allowed-origins", SITE),
                Deployments.app()).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void screenshotsAndNoConsoleErrors(TestInfo test) throws IOException {
        Path dir = Path.of("target/screenshots");
        Files.createDirectories(dir);
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            ChromeDriver page = pages.get(i);
            Files.write(dir.resolve(test.getTestMethod().orElseThrow().getName() + "-" + (i + 1) + ".png"),
                    page.getScreenshotAs(OutputType.BYTES));
            for (LogEntry entry : page.manage().logs().get(LogType.BROWSER)) {
                if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !expectedDisconnect(entry)) {
                    errors.add("page " + (i + 1) + ": " + entry.getMessage());
                }
            }
        }
        pages.forEach(ChromeDriver::quit); // after every screenshot: a page closed first would show in the others
        pages.clear();
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    // Chromium logs a WebSocket that could not connect while the server is down; the page handles it by retrying.
    private static boolean expectedDisconnect(LogEntry entry) {
        return entry.getMessage().contains("WebSocket connection to") && entry.getMessage().contains("failed");
    }

    private ChromeDriver page() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking flags Chromium tries to reach Google at every start; this machine's
        // network refuses it, many times over.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1100,800",
                "--user-data-dir=" + System.getProperty("java.io.tmpdir") + "/chat-page-" + UUID.randomUUID());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver page = new ChromeDriver(service, options);
        pages.add(page);
        page.get(SITE + "/");
        return page;
    }

    private static WebDriverWait waiting(ChromeDriver page) {
        return new WebDriverWait(page, BOUND, Duration.ofMillis(50));
    }

    private static void joinRoom(ChromeDriver page, String name, String room) {
        WebElement nameField = page.findElement(By.id("name"));
        nameField.clear();
        nameField.sendKeys(name);
        WebElement roomField = page.findElement(By.id("room"));
        roomField.clear();
        roomField.sendKeys(room);
        page.findElement(By.id("join-button")).click();
        awaitState(page, "Connected to " + room);
    }

    private static void awaitState(ChromeDriver page, String text) {
        waiting(page).withMessage(() -> "state \"" + text + "\"; it is \"" + state(page) + "\"")
                .until(p -> state(page).startsWith(text));
    }

    private static String state(ChromeDriver page) {
        return page.findElement(By.id("state")).getText();
    }

    private static void say(ChromeDriver page, String text) {
        page.findElement(By.id("text")).sendKeys(text);
        page.findElement(By.id("send-button")).click();
    }

    /** @return the chat messages shown, as "sender: text" */
    private static List<String> messages(ChromeDriver page) {
        return page.findElements(By.cssSelector("#log li.msg")).stream()
                .map(li -> li.findElement(By.className("from")).getText() + ": "
                        + li.findElement(By.className("text")).getText()).toList();
    }

    private static List<String> systemLines(ChromeDriver page) {
        return page.findElements(By.cssSelector("#log li.system")).stream().map(WebElement::getText).toList();
    }

    private static List<String> members(ChromeDriver page) {
        return page.findElements(By.cssSelector("#members li")).stream().map(WebElement::getText).toList();
    }

    private static void awaitMessages(ChromeDriver page, List<String> expected) {
        waiting(page).withMessage(() -> "messages " + expected + "; shown " + messages(page))
                .until(p -> messages(page).equals(expected));
    }

    private static String room() {
        return "page-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    @Order(1)
    void twoPagesChatAndEachSeesTheOthersMessagesWithItsName() {
        String room = room();
        ChromeDriver ada = page();
        ChromeDriver bob = page();
        joinRoom(ada, "Ada", room);
        joinRoom(bob, "Bob", room);

        say(ada, "Hello from Ada");
        awaitMessages(bob, List.of("Ada: Hello from Ada"));
        say(bob, "Hi Ada, Bob here");
        List<String> both = List.of("Ada: Hello from Ada", "Bob: Hi Ada, Bob here");
        awaitMessages(ada, both);
        awaitMessages(bob, both);
        assertThat(ada.findElements(By.cssSelector("#log li.msg time"))).hasSize(2).allSatisfy(t -> // when it was sent
                assertThat(java.time.Instant.parse(t.getDomAttribute("datetime"))).isBefore(java.time.Instant.now()));
    }

    @Test
    @Order(2)
    void theMemberListShowsWhoIsThereAndJoinsAndLeavesAreQuietLines() {
        String room = room();
        ChromeDriver ada = page();
        joinRoom(ada, "Ada", room);
        waiting(ada).until(p -> members(ada).equals(List.of("Ada")));

        ChromeDriver bob = page();
        joinRoom(bob, "Bob", room);
        waiting(ada).withMessage(() -> "members " + members(ada)).until(p -> members(ada).equals(List.of("Ada",
                "Bob")));
        waiting(bob).withMessage(() -> "members " + members(bob)).until(p -> members(bob).equals(List.of("Ada",
                "Bob")));
        assertThat(ada.findElement(By.id("count")).getText()).isEqualTo("2");
        waiting(ada).until(p -> systemLines(ada).contains("Bob joined"));

        bob.quit(); // the tab is closed
        pages.remove(bob);
        waiting(ada).withMessage(() -> "members " + members(ada)).until(p -> members(ada).equals(List.of("Ada")));
        waiting(ada).until(p -> systemLines(ada).contains("Bob left"));
    }

    @Test
    @Order(3)
    void aPrivateRoomWithoutCredentialsSaysWhyAndSigningInAsAMemberLetsThePageIn() {
        ChromeDriver page = page();
        String room = "private-" + room();
        page.findElement(By.id("name")).sendKeys("Eve");
        page.findElement(By.id("room")).clear();
        page.findElement(By.id("room")).sendKeys(room);
        page.findElement(By.id("join-button")).click();
        awaitState(page, "This room is private: sign in as a member to join it.");
        assertThat(page.findElement(By.cssSelector("#log li.error")).getText())
                .isEqualTo("This room is private: sign in as a member to join it.");

        page.findElement(By.tagName("summary")).click();
        page.findElement(By.id("user")).sendKeys("alice");
        page.findElement(By.id("password")).sendKeys("alice-pw");
        page.findElement(By.id("signin-button")).click();
        waiting(page).until(p -> page.findElement(By.id("who")).getText().equals("(signed in as alice, member)"));
        // the sign-in cookie no other site's form may send
        assertThat(page.manage().getCookieNamed("LtpaToken2")).isNotNull().satisfies(c -> {
            assertThat(c.getSameSite()).isEqualTo("Strict");
            assertThat(c.isHttpOnly()).isTrue();
        });
        page.findElement(By.id("join-button")).click();
        awaitState(page, "Connected to " + room);
        waiting(page).until(p -> members(page).equals(List.of("alice signed in")));
    }

    @Test
    @Order(4)
    void afterAServerRestartThePagesSayTheyAreReconnectingComeBackAndShowWhatWasSentMeanwhileOnce() {
        String room = room();
        ChromeDriver ada = page();
        ChromeDriver bob = page();
        joinRoom(ada, "Ada", room);
        joinRoom(bob, "Bob", room);
        say(ada, "before the restart");
        awaitMessages(bob, List.of("Ada: before the restart"));

        ada.setNetworkConditions(offline()); // Ada's network is away too: she comes back only once Bob has talked
        server.close();
        awaitState(ada, "Connection lost. Reconnecting in");
        awaitState(bob, "Connection lost. Reconnecting in");
        server.start();
        awaitState(bob, "Connected to " + room);
        say(bob, "while Ada was away 1");
        say(bob, "while Ada was away 2");
        awaitMessages(bob, List.of("Ada: before the restart", "Bob: while Ada was away 1",
                "Bob: while Ada was away 2"));
        assertThat(state(ada)).doesNotStartWith("Connected"); // reconnecting, or trying to: still offline

        ada.deleteNetworkConditions();
        awaitState(ada, "Connected to " + room);
        // Each message once: the one from before, and the two sent while she was away, which her page resumed. The
        // server's restart started the room over: the page says earlier messages are gone from the room's history.
        awaitMessages(ada, List.of("Ada: before the restart", "Bob: while Ada was away 1",
                "Bob: while Ada was away 2"));
        assertThat(systemLines(ada)).contains("The room started over while you were away: earlier messages are gone.");
        say(ada, "back");
        awaitMessages(bob, List.of("Ada: before the restart", "Bob: while Ada was away 1",
                "Bob: while Ada was away 2", "Ada: back"));
        assertThat(messages(ada)).hasSize(4).doesNotHaveDuplicates();
    }

    private static ChromiumNetworkConditions offline() {
        ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
        conditions.setOffline(true);
        return conditions;
    }
}
