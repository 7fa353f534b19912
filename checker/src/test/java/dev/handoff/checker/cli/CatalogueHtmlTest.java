package dev.handoff.checker.cli;

import dev.handoff.checker.cli.CatalogueData.Board;
import dev.handoff.checker.cli.CatalogueData.Catalogue;
import dev.handoff.checker.cli.CatalogueData.CellResult;
import dev.handoff.checker.cli.CatalogueData.Plan;
import dev.handoff.checker.cli.CatalogueData.Row;
import dev.handoff.checker.cli.CatalogueHtml.Shade;
import dev.handoff.engine.Verdict;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalogue's HTML report opened in a real browser (headless Chromium, Debian's package
 * {@code chromium}; skipped where none is installed): the screenshot shows the heat map, each
 * square in the colour of its worst outcome, as many squares of each colour as the data has.
 */
class CatalogueHtmlTest {
    static Path chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Renders {@code html} in headless Chromium and returns the screenshot. */
    static BufferedImage screenshot(Path dir, String html) throws Exception {
        Path browser = chromium();
        Assumptions.assumeTrue(browser != null, "no headless Chromium on this machine (apt-get install chromium)");
        Path page = dir.resolve("report.html");
        Files.writeString(page, html);
        Path png = dir.resolve("shot.png");
        Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--force-color-profile=srgb", "--force-device-scale-factor=1", "--window-size=1200,2000",
                "--user-data-dir=" + dir.resolve("profile"), "--screenshot=" + png, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "Chromium finishes");
        assertTrue(Files.size(png) > 0, "a screenshot: " + Files.readString(dir.resolve("chromium.log")));
        return ImageIO.read(png.toFile());
    }

    /** Pixels of each shade's exact colour (within 2 per channel). */
    static Map<Shade, Integer> count(BufferedImage img) {
        Map<Shade, Integer> out = new EnumMap<>(Shade.class);
        for (Shade s : Shade.values()) {
            out.put(s, 0);
        }
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                for (Shade s : Shade.values()) {
                    int c = s.rgb();
                    if (Math.abs((rgb >> 16) - (c >> 16)) <= 2 && Math.abs(((rgb >> 8) & 255) - ((c >> 8) & 255)) <= 2
                            && Math.abs((rgb & 255) - (c & 255)) <= 2) {
                        out.merge(s, 1, Integer::sum);
                    }
                }
            }
        }
        return out;
    }

    /**
     * A heat map whose squares are known: 4 rows x 6 policies, one variant each; every shade but
     * hang appears, each a different number of times. The screenshot has each
     * shade's colour in proportion: the legend's swatch alone for hang, and per square about the
     * same area for the rest (less an unsafe square's white text).
     */
    @Test
    void theHeatMapShowsEachSquareInItsColour(@TempDir Path dir) throws Exception {
        List<String> policies = List.of("p1", "p2", "p3", "p4", "p5", "p6");
        Map<String, CellResult> results = new HashMap<>();
        Map<Shade, Integer> squares = new EnumMap<>(Shade.class);
        CellResult[] kinds = {
            new CellResult(Verdict.HOLDS, List.of()),
            new CellResult(Verdict.VIOLATED, List.of("no-dma-fault:fatal", "right-page:wrong-page")),
            new CellResult(Verdict.VIOLATED, List.of("right-page:wrong-page")),
            new CellResult(Verdict.VIOLATED, List.of("no-dma-fault:fault")),
            new CellResult(Verdict.VIOLATED, List.of("isolation")),
            new CellResult(Verdict.INCONCLUSIVE, List.of()),
        };
        int[] pattern = {0, 1, 0, 2, 0, 1, 3, 0, 1, 4, 0, 5, 1, 0, 0, 2, 1, 3, 0, 0, 0, 1, 4, 2};
        List<Row> rows = new ArrayList<>();
        int k = 0;
        for (int r = 0; r < 4; r++) {
            List<String> keys = new ArrayList<>();
            for (int p = 0; p < policies.size(); p++) {
                String key = String.format("%064x", k);
                CellResult c = kinds[pattern[k++]];
                results.put(key, c);
                keys.add(key);
                squares.merge(CatalogueHtml.shade(c), 1, Integer::sum);
            }
            rows.add(new Row("/soc/display@" + r, "/soc/iommu", "6.12", List.of("fw.mapping=identity"), keys));
        }
        Plan plan = new Plan(policies, List.of("fw.mapping"), List.of("6.12"), List.of(new Board("a.dtb", "A board", null, rows)));
        proportional(count(screenshot(dir, CatalogueHtml.render(new Catalogue(plan, results)))), squares);
    }

    /**
     * Each shade's pixels are the legend's swatch (the shade no square has shows only that) plus
     * about one block per square (less the white text of an unsafe square); the findings below
     * are folded away.
     */
    static void proportional(Map<Shade, Integer> px, Map<Shade, Integer> squares) {
        Shade absent = java.util.Arrays.stream(Shade.values()).filter(s -> squares.getOrDefault(s, 0) == 0).findFirst().orElseThrow();
        int swatch = px.get(absent);
        assertTrue(swatch > 50 && swatch < 600, absent + ": the legend's swatch only: " + px);
        Shade most = squares.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        double perSquare = (px.get(most) - swatch) / (double) squares.get(most);
        assertTrue(perSquare > 200, "a square is a block of colour: " + px);
        for (Shade s : Shade.values()) {
            int n = squares.getOrDefault(s, 0);
            double got = px.get(s) - swatch;
            assertTrue(got >= n * perSquare * 0.6 - 40, s + ": " + n + " square(s), " + px);
            assertTrue(got <= n * perSquare * 1.1 + 40, s + ": " + n + " square(s), " + px);
        }
    }

    /** A real catalogue's page (the shared DTBs) opens, and its heat map has the colours its JSON says. */
    @Test
    void aRealCataloguesPageShowsItsVerdicts(@TempDir Path dir) throws Exception {
        List<String> a = CatalogueShardTest.args("--format", "html");
        CliTest.Run r = run(a.toArray(String[]::new));
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        assertTrue(r.out().startsWith("<!DOCTYPE html>") && !r.out().contains("http://") && !r.out().contains("https://")
                && !r.out().contains("<script"), "self-contained, no script");
        // the squares the JSON report says: per display and policy, the worst over the variants
        Map<Shade, Integer> squares = new EnumMap<>(Shade.class);
        var doc = RunReport.JSON.readTree(run(CatalogueShardTest.args("--format", "json").toArray(String[]::new)).out());
        for (var b : doc.get("boards")) {
            for (var d : b.get("displays")) {
                for (var p : doc.get("policies")) {
                    List<CellResult> cells = new ArrayList<>();
                    for (var c : d.get("cells")) {
                        if (c.get("policy").asText().equals(p.asText())) {
                            List<String> v = new ArrayList<>();
                            c.get("violated").forEach(x -> v.add(x.asText()));
                            cells.add(new CellResult(Verdict.valueOf(c.get("verdict").asText()), v));
                        }
                    }
                    Shade worst = CatalogueHtml.worst(cells);
                    squares.merge(worst, 1, Integer::sum);
                }
            }
        }
        assertTrue(squares.size() >= 2, "the shared boards are not all one colour: " + squares);
        proportional(count(screenshot(dir, r.out())), squares);
    }
}
