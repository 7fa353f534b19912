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
 * default). A request's Host must be an IP address literal, {@code localhost} or a name given
 * with {@code --allow-host}: a web page elsewhere cannot reach the API through a DNS name of its
 * own that it points here (DNS rebinding). A POST must be {@code application/json} and not
 * cross-site (a form or a no-cors fetch from another page is refused before any work).
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
    private final PrintWriter log;
    private final java.util.Set<String> allowedHosts;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ExplorerSession session;

    private ExplorerServer(HttpServer server, ExecutorService pool, PrintWriter log, java.util.Set<String> allowedHosts) {
        this.server = server;
        this.pool = pool;
        this.log = log;
        this.allowedHosts = allowedHosts;
    }

    /**
     * Binds {@code bind}:{@code port} (0: any free port) without serving yet, so a busy port or a
     * wrong address is known before the checks run.
     *
     * @param allowedHosts host names (lower case) accepted in a request's Host besides IP literals and localhost
     * @throws java.net.UnknownHostException when {@code bind} names no address
     * @throws java.net.BindException        when the address is not this machine's or the port is taken
     */
    static ExplorerServer bind(String bind, int port, java.util.Set<String> allowedHosts, PrintWriter log) throws IOException {
        InetAddress address = InetAddress.getByName(bind);
        HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 16);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "handoff-explore");
            t.setDaemon(true);
            return t;
        });
        ExplorerServer s = new ExplorerServer(http, pool, log, java.util.Set.copyOf(allowedHosts));
        http.createContext("/", s::handle);
        http.setExecutor(pool);
        return s;
    }

    /** Starts answering with {@code session}. */
    ExplorerServer serve(ExplorerSession session) {
        this.session = session;
        server.start();
        return this;
    }

    /** Binds and serves {@code session} (tests). */
    static ExplorerServer start(ExplorerSession session, String bind, int port, PrintWriter log) throws IOException {
        return bind(bind, port, java.util.Set.of(), log).serve(session);
    }

    /** Whether the bound address is a loopback one (anything else is reachable from the network). */
    boolean loopback() {
        return server.getAddress().getAddress().isLoopbackAddress();
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI uri() {
        InetAddress a = server.getAddress().getAddress();
        // a wildcard bind is reached through any of this machine's addresses: print the loopback one
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
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
            if (!allowedHost(x.getRequestHeaders().getFirst("Host"))) {
                error(x, 403, "this explorer answers requests that name it by an IP address, localhost or an --allow-host name"
                        + " (here: " + uri().getAuthority() + ")");
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
        String type = x.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ExplorerSession.RequestException(415, "a POST body must be sent as application/json");
        }
        if ("cross-site".equals(x.getRequestHeaders().getFirst("Sec-Fetch-Site"))) {
            throw new ExplorerSession.RequestException(403, "a request from another site's page is refused");
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
            // Jackson's message names its own source and location: the first clause is the news
            String why = e.getOriginalMessage().replaceAll("(?s)\\s*\\(?(start marker at )?\\[Source:.*", "").replaceAll("\\s+", " ").trim();
            throw new ExplorerSession.RequestException(400, "the request body is not JSON: " + why
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""));
        }
    }

    private static String query(HttpExchange x, String name) {
        String q = x.getRequestURI().getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && kv.substring(0, eq).equals(name)) {
                    try {
                        return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        throw new ExplorerSession.RequestException(400, name + ": not URL-encoded (" + e.getMessage() + ")");
                    }
                }
            }
        }
        return null;
    }

    /**
     * Whether a request's Host names this server in a way no other site can arrange: an IP
     * address literal, {@code localhost}, or an {@code --allow-host} name; with this server's port,
     * or none (a browser leaves out :80).
     */
    private boolean allowedHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        String name = h;
        String port = null;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return false;
            }
            name = h.substring(1, close);
            port = close + 1 < h.length() && h.charAt(close + 1) == ':' ? h.substring(close + 2) : close + 1 == h.length() ? null : "";
        } else if (h.indexOf(':') >= 0) {
            name = h.substring(0, h.indexOf(':'));
            port = h.substring(h.indexOf(':') + 1);
        }
        if (port == null ? port() != 80 : !port.equals(Integer.toString(port()))) {
            return false;
        }
        return name.equals("localhost") || allowedHosts.contains(name) || ipLiteral(name);
    }

    private static boolean ipLiteral(String name) {
        return name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.matches("[0-9a-f:.]+") && name.contains(":");
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
        if (type.startsWith("text/html")) {
            // the page loads its own script and style only, and is not to be framed
            x.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; frame-ancestors 'none'");
        }
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
