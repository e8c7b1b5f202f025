package io.webhookingest.console;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webhookingest.observe.ObservedWrites;
import io.webhookingest.store.EventIds;
import io.webhookingest.testing.DebianPackages;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;
import io.webhookingest.testing.Topics;

/**
 * The console in a real browser (Debian's chromium through chromium-driver, headless): sign-in with the admin token,
 * the overview's charts, the rejections and the sources, sign-out, and what a wrong token or a forged form gets. It
 * saves the screenshots the README shows under {@code target/console-screenshots}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ConsoleBrowserTest {

    static final String CONSOLE = "http://localhost:" + Management.TEST_PORT + "/console";
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final Duration WAIT = Duration.ofSeconds(10);

    static final String QUARANTINING = "console-quarantine";
    static final String DELETED = "Deleted";

    static WebDriver browser;

    @Inject
    ObservedWrites writes;

    @BeforeAll
    static void openBrowser() {
        String chromium = System.getProperty("console.chromium", "/usr/bin/chromium");
        String chromedriver = System.getProperty("console.chromedriver", "/usr/bin/chromedriver");
        DebianPackages.ensure(List.of(List.of(chromium, "--version"), List.of(chromedriver, "--version")),
                "chromium", "chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1360,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(WAIT);
    }

    @AfterEach
    void deleteManagedSource() {
        Management.admin().delete("/admin/sources/" + QUARANTINING);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorSignsInSeesTrafficRejectionsAndSourcesAndSignsOut() throws IOException {
        browser.manage().deleteAllCookies();
        browser.get(CONSOLE + "/overview");
        assertTrue(browser.getCurrentUrl().endsWith("/console/login"), "pages need a session");
        signIn("not-the-admin-token-at-all-not-the-admin-token");
        assertTrue(element(By.id("login-error")).isDisplayed(), "a wrong token is refused");
        assertTrue(browser.getCurrentUrl().endsWith("/console/login"));

        long minute = Instant.now().getEpochSecond() / 60 * 60;
        for (int i = 0; i < 5; i++) {
            byte[] accepted = Hubject.contractCreated(UUID.randomUUID().toString());
            Hubject.deliver(accepted, Hubject.SECRET).statusCode(200);
            if (i == 0) {
                Hubject.deliver(accepted, Hubject.SECRET).statusCode(200).body("status",
                        equalTo("duplicate"));
            }
        }
        byte[] forged = Hubject.contractCreated(UUID.randomUUID().toString());
        Hubject.deliver(forged, "a-forged-secret").statusCode(401);
        writes.writeRejectionsUntilLogged("hubject", "signature_mismatch");
        writes.writeRollup();
        given().urlEncodingEnabled(false).body("{}").post("/webhooks/%3Cscript%3Ealert(1)%3C%2Fscript%3E").then()
                .statusCode(404);
        writes.writeRejectionsUntilLogged("<script>alert(1)</script>", "unknown_source");

        signIn(Management.ADMIN_TOKEN);
        assertTrue(browser.getCurrentUrl().endsWith("/console/overview"), browser.getCurrentUrl());
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#chart-hubject canvas")));
        @SuppressWarnings("unchecked")
        Map<String, Object> chart = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
                "return JSON.parse(document.getElementById('chart-hubject').getAttribute('data-chart'));");
        List<Number> minutes = (List<Number>) chart.get("x");
        @SuppressWarnings("unchecked")
        Map<String, List<Number>> series = (Map<String, List<Number>>) chart.get("series");
        int index = minutes.stream().map(Number::longValue).toList().indexOf(minute);
        assertTrue(index >= 0, "the chart covers the test's minute");
        assertTrue(inMinutes(series.get("accepted"), index) >= 5, "the accepted deliveries are charted");
        assertTrue(inMinutes(series.get("duplicate"), index) >= 1, "and the duplicate");
        assertTrue(inMinutes(series.get("rejected: signature"), index) >= 1, "and the forged one");
        screenshot("console-overview.png");

        click(By.linkText("Rejections"));
        String rejections = element(By.id("rejections")).getText();
        assertTrue(rejections.contains("signature_mismatch"), rejections);
        assertTrue(rejections.contains("none of the 2 configured secrets matched"), rejections);
        assertFalse(rejections.contains("TESTEMAID"), "never the body of a forged delivery");
        assertTrue(rejections.contains("<script>alert(1)</script>"), "a sender's text is shown as text");
        assertEquals(0L, ((JavascriptExecutor) browser).executeScript(
                "return document.querySelectorAll('main script').length;"), "and never runs");
        screenshot("console-rejections.png");

        click(By.linkText("Sources"));
        assertEquals("2", element(By.cssSelector("#source-hubject .secret-count")).getText());
        screenshot("console-sources.png");

        Cookie session = browser.manage().getCookieNamed(ConsoleRoutes.COOKIE);
        assertTrue(session.isHttpOnly(), "scripts cannot read the session");
        assertEquals("Strict", session.getSameSite());
        Management.given().cookie(ConsoleRoutes.COOKIE, session.getValue()).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").body("csrf=forged").post("/console/logout")
                .then().statusCode(403);
        Management.given().cookie(ConsoleRoutes.COOKIE, session.getValue()).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").post("/console/replay")
                .then().statusCode(403);
        click(By.id("sign-out"));
        assertTrue(browser.getCurrentUrl().endsWith("/console/login"));
        Management.given().cookie(ConsoleRoutes.COOKIE, session.getValue()).redirects().follow(false)
                .get("/console/overview").then().statusCode(303).header("Location", containsString("/login"));
    }

    @Test
    void anOperatorFindsAnEventSeesItsRecordReplaysItAndReleasesAQuarantinedDelivery() throws IOException {
        browser.manage().deleteAllCookies();
        signIn(Management.ADMIN_TOKEN);
        String eventId = UUID.randomUUID().toString();
        byte[] body = Hubject.contractCreated(eventId);
        String id = Hubject.deliver(body, Hubject.SECRET).statusCode(200).extract().path("events[0].id");
        ConsumerRecord<String, byte[]> published = Topics.awaitCloudEvent(Hubject.TOPIC, id);
        awaitPublished(id);

        browser.get(CONSOLE + "/events?source=hubject");
        assertTrue(element(By.id("events")).getText().contains("oem.contract.created"));
        click(By.cssSelector("a.event-link[href='/console/events/" + id + "']"));
        assertTrue(element(By.id("body")).getText().contains(eventId), "the body as stored");
        assertEquals(published.key(), element(By.id("record-key")).getText(), "the record's key");
        assertEquals(Hubject.TOPIC, element(By.id("record-topic")).getText());
        assertTrue(element(By.id("record")).getText().contains("ce_id " + id), "every ce_ header");
        assertEquals(List.of("received", "published"), history(), "when it arrived and when the broker took it");

        click(By.id("replay"));
        assertTrue(element(By.id("done")).getText().contains("Queued"));
        await().atMost(WAIT).until(() -> Topics.withCloudEventId(Hubject.TOPIC, id).size() >= 2);
        await().atMost(WAIT).until(() -> {
            browser.get(CONSOLE + "/events/" + id);
            return history().equals(List.of("received", "published", "replayed", "published"));
        });
        screenshot("console-event.png");

        Management.admin().contentType("application/json").body("{\"provider\": \"hubject\", \"id\": \"/missing\"}")
                .put("/admin/sources/" + QUARANTINING).then().statusCode(201);
        Management.admin().contentType("application/json").body("{\"secret\": \"" + Hubject.SECRET + "\"}")
                .post("/admin/sources/" + QUARANTINING + "/secrets").then().statusCode(201);
        String kept = quarantine();
        String unwanted = quarantine();
        browser.get(CONSOLE + "/events/" + unwanted);
        click(By.id("delete"));
        assertEquals(DELETED, element(By.id("done")).getText());
        Management.admin().get("/admin/events/" + unwanted).then().statusCode(404);
        Management.admin().contentType("application/json").body("{\"provider\": \"hubject\"}")
                .put("/admin/sources/" + QUARANTINING).then().statusCode(200);
        browser.get(CONSOLE + "/events/" + kept);
        assertEquals("quarantined", element(By.id("event-status")).getText());
        click(By.id("release"));
        assertTrue(element(By.id("done")).getText().contains("Released"),
                element(By.tagName("main")).getText());
        await().atMost(WAIT).until(() -> Topics.readAll("webhooks." + QUARANTINING).size() >= 1);
        assertEquals(List.of("received", "released"), history());
        String stored = Management.admin().queryParam("source", QUARANTINING).get("/admin/events").then()
                .statusCode(200).extract().path("events.find { it.status != 'released' }.id");
        assertTrue(element(By.cssSelector("#history tr.step-released")).getText().contains(stored),
                "the release names the event it stored, " + stored);
    }

    /** The kinds of the steps in the shown event's history, in the order shown. */
    private List<String> history() {
        return browser.findElements(By.cssSelector("#history tr.step")).stream()
                .map(row -> row.getAttribute("class").replace("step step-", "")).toList();
    }

    @Test
    void bulkReplayShowsItsCountBeforeItIsConfirmed() {
        browser.manage().deleteAllCookies();
        signIn(Management.ADMIN_TOKEN);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Hubject.deliver(Hubject.contractCreated(UUID.randomUUID().toString()), Hubject.SECRET)
                    .statusCode(200).extract().path("events[0].id"));
        }
        ids.forEach(ConsoleBrowserTest::awaitPublished);
        String since = EventIds.timeOf(UUID.fromString(ids.get(0))).toString();
        String until = EventIds.timeOf(UUID.fromString(ids.get(2))).plusMillis(1).toString();

        browser.get(CONSOLE + "/replay?source=hubject&since=" + since + "&until=" + until);
        assertEquals("3 event(s) would be published again.", element(By.id("dry-run-count")).getText());
        click(By.id("confirm-replay"));
        assertEquals("3 event(s) queued for publication again.", element(By.id("replayed")).getText());
        await().atMost(WAIT).until(() -> ids.stream()
                .allMatch(id -> Topics.withCloudEventId(Hubject.TOPIC, id).size() >= 2));
    }

    @Test
    void theConsoleAndItsAssetsAreOnTheManagementInterfaceOnly() {
        Management.given().get("/console/assets/uPlot.iife.min.js").then().statusCode(200)
                .contentType(containsString("javascript"));
        given().get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").then().statusCode(404);
        given().get("/console/login").then().statusCode(404);
        Management.given().redirects().follow(false).get("/console/sources").then().statusCode(303)
                .header("Location", "/console/login");
        Management.given().get("/console/login").then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("X-Frame-Options", "DENY");
    }

    /** Posts a signed delivery the misconfigured source cannot read; the id of the quarantined event. */
    private static String quarantine() {
        byte[] unreadable = Hubject.contractCreated(UUID.randomUUID().toString());
        return given().contentType("application/json")
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, unreadable))
                .body(unreadable).post("/webhooks/" + QUARANTINING).then().statusCode(400)
                .extract().path("quarantinedEvent");
    }

    /** Waits until the event is off the queue, the broker having acknowledged it. */
    private static void awaitPublished(String id) {
        await().atMost(WAIT).until(() -> "published".equals(Management.admin().get("/admin/events/" + id)
                .then().statusCode(200).extract().path("status")));
    }

    /** The count at this minute and the next, where the test's deliveries may have run on into. */
    private static long inMinutes(List<Number> values, int index) {
        return values.get(index).longValue() + (index + 1 < values.size() ? values.get(index + 1).longValue() : 0);
    }

    private static void signIn(String token) {
        browser.get(CONSOLE + "/login");
        element(By.id("token")).sendKeys(token);
        click(By.id("sign-in"));
    }

    /** Clicks and waits until the page it leads to has replaced this one. */
    private static void click(By locator) {
        WebElement target = element(locator);
        target.click();
        new WebDriverWait(browser, WAIT).until(driver -> isGone(target));
    }

    /**
     * Whether the element left the document with the page it was on. Chromium reports that as stale or, caught
     * while the next page replaces it, as a node that no longer belongs to the document.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException stale) {
            return true;
        } catch (WebDriverException failure) {
            if (String.valueOf(failure.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw failure;
        }
    }

    /** The element once the page shows it. */
    private static WebElement element(By locator) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(locator));
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
