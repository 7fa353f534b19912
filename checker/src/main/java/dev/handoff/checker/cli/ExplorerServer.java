package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The explorer's HTTP side, on the JDK's own server (no dependency): the page and its two assets
 * from the jar, and the {@link ExplorerSession}'s JSON API. Bound to one address (loopback by
 * default); on loopback a request must name it as its Host, so a web page elsewhere cannot reach
 * the API through a DNS name that resolves here (DNS rebinding).
 *
 * <pre>
 * GET  /                 the page          GET  /api/session      board, matrices, opened traces
 * GET  /explorer.js      its script        GET  /api/cell?id=ID   the cell's check (handoff.check/2)
 * GET  /explorer.css     its style         POST /api/path         {cell, steps, property?}: the run
 *                                          POST /api/resolve      {cell, steps, at, sid, iova}
 * </pre>
 *
 * A request the session cannot answer gets its status (400, 404) and {@code {"error": "..."}}.
 */
final class ExplorerServer implements AutoCloseable {
    /** The page and its assets, from the jar. */
    static final Map<String, String> ASSETS = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/explorer.js", "explorer.js",
            "/explorer.css", "explorer.css");
    private static final int MAX_BODY = 1 << 20;
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final HttpServer server;
    private final ExecutorService pool;
    private final ExplorerSession session;
    private final PrintWriter log;
    private final boolean loopback;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ExplorerServer(HttpServer server, ExecutorService pool, ExplorerSession session, PrintWriter log, boolean loopback) {
        this.server = server;
        this.pool = pool;
        this.session = session;
        this.log = log;
        this.loopback = loopback;
    }

    /** Starts serving {@code session} on {@code bind}:{@code port} (0: any free port). */
    static ExplorerServer start(ExplorerSession session, String bind, int port, PrintWriter log) throws IOException {
        InetAddress address = InetAddress.getByName(bind);
        HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 16);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "handoff-explore");
            t.setDaemon(true);
            return t;
        });
        ExplorerServer s = new ExplorerServer(http, pool, session, log, address.isLoopbackAddress());
        http.createContext("/", s::handle);
        http.setExecutor(pool);
        http.start();
        return s;
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI uri() {
        InetAddress a = server.getAddress().getAddress();
        String host = a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** Blocks until {@link #close} (or the process is interrupted). */
    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        stopped.countDown();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            if (loopback && !localHost(x.getRequestHeaders().getFirst("Host"))) {
                error(x, 403, "this explorer answers requests to " + uri().getAuthority() + " only");
                return;
            }
            String method = x.getRequestMethod();
            if (path.equals("/data.js")) {
                // a static export's answers; served, the page asks the API instead
                send(x, 200, type("data.js"), "window.HANDOFF_STATIC = null;\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (ASSETS.containsKey(path)) {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    x.getResponseHeaders().set("Allow", "GET, HEAD");
                    error(x, 405, path + " answers GET only");
                    return;
                }
                String name = ASSETS.get(path);
                send(x, 200, type(name), asset(name));
                return;
            }
            try {
                JsonNode answer = switch (path) {
                    case "/api/session" -> get(x, () -> session.session());
                    case "/api/cell" -> get(x, () -> session.cell(query(x, "id")));
                    case "/api/path" -> session.path(body(x));
                    case "/api/resolve" -> session.resolve(body(x));
                    default -> throw new ExplorerSession.RequestException(404, "no such page: " + path);
                };
                send(x, 200, "application/json", (RunReport.JSON.writeValueAsString(answer) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (ExplorerSession.RequestException e) {
                if (e.status == 405) {
                    x.getResponseHeaders().set("Allow", path.equals("/api/path") || path.equals("/api/resolve") ? "POST" : "GET");
                }
                error(x, e.status, e.getMessage());
            }
        } catch (RuntimeException | Error e) {
            log.println("handoff explore: internal error answering " + x.getRequestURI() + ": " + e);
            log.flush();
            try {
                error(x, 500, "internal error: " + e);
            } catch (IOException | RuntimeException ignored) {
                // the response had started: the client sees a cut answer
            }
        }
    }

    private static JsonNode get(HttpExchange x, java.util.function.Supplier<JsonNode> answer) {
        if (!x.getRequestMethod().equals("GET")) {
            throw new ExplorerSession.RequestException(405, x.getRequestURI().getPath() + " answers GET only");
        }
        return answer.get();
    }

    private static JsonNode body(HttpExchange x) throws IOException {
        if (!x.getRequestMethod().equals("POST")) {
            throw new ExplorerSession.RequestException(405, x.getRequestURI().getPath() + " answers POST only (a JSON body)");
        }
        byte[] bytes;
        try (InputStream in = x.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new ExplorerSession.RequestException(413, "the request body is larger than 1 MiB");
        }
        try {
            return STRICT.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ExplorerSession.RequestException(400, "the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String query(HttpExchange x, String name) {
        String q = x.getRequestURI().getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && kv.substring(0, eq).equals(name)) {
                    return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    private boolean localHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        int p = port();
        return h.equals("127.0.0.1:" + p) || h.equals("localhost:" + p) || h.equals("[::1]:" + p);
    }

    static byte[] asset(String name) throws IOException {
        try (InputStream in = ExplorerServer.class.getResourceAsStream("explore/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks explore/" + name);
            }
            return in.readAllBytes();
        }
    }

    private static String type(String name) {
        return name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".js") ? "text/javascript; charset=utf-8"
                : "text/css; charset=utf-8";
    }

    private static void error(HttpExchange x, int status, String message) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode o = RunReport.JSON.createObjectNode();
        o.put("error", message);
        send(x, status, "application/json", (RunReport.JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
