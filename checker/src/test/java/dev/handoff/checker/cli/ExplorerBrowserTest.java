package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The explorer end to end in a real headless browser (Debian's chromium, driven through its
 * chromedriver by Selenium): load a board, open a failing cell, step to the fault, read the
 * register table and the resolve box, take an action on demand, export the run and replay it;
 * and the static export from files. Skipped, saying why, only where no chromium is installed
 * ({@code apt-get install chromium chromium-driver}; CI installs them). Screenshots of the main
 * views go to {@code target/explorer-screenshots/} (the README's come from there).
 */
class ExplorerBrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("handoff.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("handoff.chromedriver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of("target", "explorer-screenshots");

    static ChromeDriver browser;
    static ExplorerSession session;
    static ExplorerServer server;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "no headless browser: the explorer's browser tests need " + CHROMIUM + " and " + DRIVER
                        + " (apt-get install chromium chromium-driver)");
        session = ExplorerTest.load("explore", "--board", BoardCliTest.sharedDtb("sdm845-db845c.dtb").toString(),
                "--policy", "stock", "--policy", "fw-quiesce", "--vary", "fw.mapping");
        SchemaConsumersTest.valid("explore", session.session());
        server = ExplorerServer.start(session, "127.0.0.1", 0, new PrintWriter(new StringWriter()));
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1600,1000",
                "--no-first-run", "--no-default-browser-check");
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, o);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Waits up to 30 s; an element the page re-rendered meanwhile is looked up again, not an error. */
    static WebDriverWait waiting() {
        WebDriverWait w = new WebDriverWait(browser, Duration.ofSeconds(30));
        w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return w;
    }

    static void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** Clicks an element as a user would after scrolling it to the middle of the window. */
    static void click(By by) {
        WebElement e = browser.findElement(by);
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    static void ready(String url) {
        browser.get(url);
        waiting().until(d -> "true".equals(((ChromeDriver) d).executeScript("return document.body.dataset.ready")));
        assertTrue(browser.findElement(By.id("error")).getAttribute("hidden") != null,
                "no error shown: " + browser.findElement(By.id("error")).getText());
    }

    @Test
    void boardCellFaultRegistersResolveStepAndReplay(@TempDir Path dir) throws Exception {
        ready(server.uri().toString());
        // the board
        WebElement board = browser.findElement(By.id("view-board"));
        assertTrue(board.isDisplayed(), "a board opens on its facts");
        assertTrue(board.getText().contains("Thundercomm Dragonboard 845c"), board.getText());
        assertTrue(board.getText().contains("/soc@0/display-subsystem@ae00000"), "the display is listed");
        JsonNode safe = session.session().get("board").get("safePolicies").get(0);
        String shown = browser.findElement(By.id("safe-policies")).getText();
        assertTrue(shown.contains(safe.get("policies").isEmpty() ? "no policy" : safe.get("policies").get(0).asText()), shown);
        shot("board");

        // the matrix: open a failing cell
        browser.findElement(By.cssSelector("nav button[data-view=matrix]")).click();
        WebElement failing = browser.findElement(By.cssSelector("td.cell.VIOLATED"));
        String cellId = failing.getAttribute("data-cell");
        failing.click();
        WebElement open = waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("#cell-panel a.open-trace")));
        shot("matrix");
        String property = open.getAttribute("data-property");
        open.click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("view-trace")));
        waiting().until(ExpectedConditions.textToBe(By.id("trace-property"), property));

        // the same run, from the API, to compare against what the page shows
        JsonNode check = session.cell(cellId);
        JsonNode trace = null;
        for (JsonNode p : check.get("properties")) {
            if (p.get("name").asText().equals(property)) {
                trace = p.get("trace");
            }
        }
        int steps = trace.get("steps").size();
        List<WebElement> items = browser.findElements(By.cssSelector("#steps li[data-step]"));
        assertEquals(steps + 1, items.size(), "the initial state and every step");
        // db845c's reset loops over 64 context banks: the run folds into one line
        List<WebElement> groups = browser.findElements(By.cssSelector("#steps li.group"));
        assertFalse(groups.isEmpty(), "a loop over an index folds");
        WebElement folded = browser.findElement(By.cssSelector("#steps li.folded"));
        assertFalse(folded.isDisplayed(), "folded until opened");
        String inside = folded.getAttribute("data-step");
        click(By.cssSelector("#chart .row[data-step='" + inside + "']"));
        assertTrue(browser.findElement(By.cssSelector("#steps li[data-step='" + inside + "']")).isDisplayed(),
                "selecting a step inside a folded run opens it");
        assertEquals((long) steps, browser.executeScript("return document.querySelector(\"#steps li[data-step='" + steps + "']\").value"),
                "each step keeps its number, folded runs or not");

        // step to the fault
        click(By.id("to-fault"));
        assertEquals(String.valueOf(steps), browser.findElement(By.cssSelector("#steps li.selected")).getAttribute("data-step"));
        assertEquals(String.valueOf(steps), browser.findElement(By.id("state-step")).getText());
        assertTrue(browser.findElement(By.cssSelector("#steps li.fault")).getText().contains(
                trace.get("steps").get(steps - 1).get("action").asText()), "the failing step is marked");
        shot("trace");

        // the explanation links the steps it names; the arrow keys step on from there
        WebElement link = browser.findElement(By.cssSelector("#explanation a.step-link"));
        int named = Integer.parseInt(link.getAttribute("data-step"));
        assertTrue(trace.get("explanation").asText().matches("(?s).*[Ss]teps? (\\d+(, | and ))*" + named + "\\b.*"), link.getText());
        link.click();
        assertEquals(String.valueOf(named), browser.findElement(By.cssSelector("#steps li.selected")).getAttribute("data-step"));
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.ARROW_LEFT).perform();
        assertEquals(String.valueOf(named - 1), browser.findElement(By.cssSelector("#steps li.selected")).getAttribute("data-step"));

        // the register table at step 1 (firmware programs the SMMU): SMR[0] valid, changed there
        click(By.cssSelector("#steps li[data-step='1']"));
        WebElement valid = browser.findElement(By.cssSelector("table.smr tr[data-index='0'] td[data-field='smmu.SMR[0].VALID']"));
        assertEquals("1", valid.getText());
        assertTrue(valid.getAttribute("class").contains("changed"), "what the step changed is highlighted");
        assertEquals("0x880", browser.findElement(By.cssSelector("td[data-field='smmu.SMR[0].ID']")).getText());
        // a counterexample's step has an address: reloading it opens the same step
        String address = browser.getCurrentUrl();
        assertTrue(address.contains("cell=" + cellId) && address.contains("step=1"), address);
        ready(address);
        waiting().until(d -> "1".equals(d.findElement(By.cssSelector("#steps li.selected")).getAttribute("data-step")));
        assertEquals(property, browser.findElement(By.id("trace-property")).getText());
        click(By.cssSelector("#steps li[data-step='0']"));
        assertEquals("0", browser.findElement(By.cssSelector("td[data-field='smmu.SMR[0].VALID']")).getText(), "out of reset");
        assertFalse(browser.findElement(By.cssSelector("td[data-field='smmu.SMR[0].VALID']")).getAttribute("class").contains("changed"));

        // the resolve box at the fault: the witness's stream and IOVA, answered as the model answers
        click(By.id("to-fault"));
        JsonNode w = trace.get("witness");
        String sid = w.get("sid").asText();
        String iova = w.path("iova").isTextual() ? w.get("iova").asText() : "0x0";
        browser.findElement(By.id("resolve-sid")).sendKeys(sid);
        browser.findElement(By.id("resolve-iova")).sendKeys(iova);
        click(By.id("resolve-go"));
        WebElement route = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#resolve-out li.route")));
        JsonNode expected = session.resolve(RunReport.JSON.readTree("{\"cell\":\"" + cellId + "\",\"steps\":"
                + ExplorerTest.stepsOf(trace) + ",\"at\":" + steps + ",\"sid\":\"" + sid + "\",\"iova\":\"" + iova + "\"}"));
        assertTrue(route.getText().startsWith(expected.get("routes").get(0).get("route").asText()), route.getText() + " vs " + expected);
        assertTrue(route.getText().contains(w.get("outcome").asText()), "the witness's outcome is what the box shows at the fault: "
                + route.getText());
        shot("resolve");

        // an action on demand from the step before the fault
        click(By.cssSelector("#steps li[data-step='" + (steps - 1) + "']"));
        waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("#enabled button[data-action]")));
        // an action other than the counterexample's own last step: a new interleaving
        String original = trace.get("steps").get(steps - 1).get("actor").asText() + ":" + trace.get("steps").get(steps - 1).get("action").asText();
        WebElement take = browser.findElements(By.cssSelector("#enabled button[data-action]")).stream()
                .filter(b -> !(b.getAttribute("data-actor") + ":" + b.getAttribute("data-action")).equals(original)).findFirst()
                .orElseThrow(() -> new AssertionError("only the counterexample's own step is enabled before the fault"));
        String action = take.getAttribute("data-action");
        take.click();
        waiting().until(d -> d.findElements(By.cssSelector("#steps li[data-step]")).size() == steps + 1
                && d.findElement(By.cssSelector("#steps li.selected")).getAttribute("data-step").equals(String.valueOf(steps)));
        assertTrue(browser.findElement(By.cssSelector("#steps li.selected")).getText().contains(action),
                "the run now ends with the action taken");

        // back to the counterexample, and forward again
        click(By.id("back"));
        String originalAction = trace.get("steps").get(steps - 1).get("action").asText();
        waiting().until(d -> d.findElement(By.cssSelector("#steps li[data-step='" + steps + "']")).getText().contains(originalAction));
        assertEquals(property, browser.findElement(By.id("trace-property")).getText(), "the counterexample is back");
        click(By.cssSelector("#steps li[data-step='" + (steps - 1) + "']"));
        waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("#enabled button[data-action='" + action + "']"))).click();
        waiting().until(d -> d.findElement(By.cssSelector("#steps li.selected")).getText().contains(action));

        // export it and replay it
        String json = (String) browser.executeScript("return window.handoffExport()");
        Path f = dir.resolve("mine.json");
        Files.writeString(f, json);
        CliTest.Run replay = CliTest.run("replay", f.toString());
        assertTrue(List.of(ExitCode.HOLDS, ExitCode.SAFETY_VIOLATED, ExitCode.DEADLOCK).contains(replay.code()), replay.err());
        assertTrue(replay.out().contains(action), "the replayed run holds the step taken: " + replay.out());
    }

    @Test
    void theStaticExportShowsTheSameViewsFromFiles(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("site");
        ExplorerExport.write(session, out);
        ready(out.resolve("index.html").toUri().toString());
        assertTrue(browser.findElement(By.id("source")).getText().contains("static export"));
        browser.findElement(By.cssSelector("nav button[data-view=matrix]")).click();
        browser.findElement(By.cssSelector("td.cell.VIOLATED")).click();
        waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("#cell-panel a.open-trace"))).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#steps li.selected")));
        assertTrue(browser.findElements(By.cssSelector("table.smr tr[data-index]")).size() > 0, "registers from data.js");
        // data.js stores each run compactly (initial states once); put back together, it replays
        Path exported = dir.resolve("static.json");
        Files.writeString(exported, (String) browser.executeScript("return window.handoffExport()"));
        CliTest.Run replay = CliTest.run("replay", exported.toString());
        assertTrue(List.of(ExitCode.SAFETY_VIOLATED, ExitCode.DEADLOCK).contains(replay.code()), replay.out() + replay.err());
        // a link into the export opens that counterexample's step
        String hash = browser.getCurrentUrl().substring(browser.getCurrentUrl().indexOf('#'));
        String stepped = hash.replaceAll("step=\\d+", "step=2");
        ready(out.resolve("index.html").toUri() + stepped);
        // the same document with another hash: the page follows it (hashchange), so wait for it
        waiting().until(d -> "2".equals(d.findElement(By.cssSelector("#steps li.selected")).getAttribute("data-step")));
        assertFalse(browser.findElement(By.id("resolve-form")).isDisplayed(), "no resolve form that cannot answer");
        assertTrue(browser.findElement(By.id("resolve-out")).getText().contains("run \"handoff explore\""),
                "the static export says what needs the server");
        assertTrue(browser.findElement(By.id("enabled-box")).getText().contains("run \"handoff explore\""));
        assertTrue(browser.findElement(By.id("error")).getAttribute("hidden") != null, browser.findElement(By.id("error")).getText());
    }
}
