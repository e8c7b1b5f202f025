package io.webhookingest.ingest;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.RawHttp;
import io.webhookingest.testing.TestDatabase;

/**
 * The public port under abuse, with the application in its own small-heap JVM: a flood of large forged uploads is
 * refused (401) or shed (503) without exhausting memory or the event loop, and stalled uploads are cut off without
 * holding back real deliveries.
 */
class ExposureIT {

    static final int UPLOADS = 64;
    static final int UPLOAD_BYTES = 10 * 1024 * 1024;
    static final Duration LIVENESS_WITHIN = Duration.ofSeconds(2);
    static final int STALLED = 400;
    static final String ADMIN_TOKEN = "it-admin-token-for-the-integration-tests";

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aFloodOfLargeForgedUploadsIsRefusedOrShedAndTheServiceStaysResponsive() throws Exception {
        try (TestDatabase database = TestDatabase.create();
             AppProcess app = AppProcess.start("exposure-flood", AppProcess.freePort(),
                     Instances.config(database.reactiveUrl()), Map.of(), List.of("-Xmx256m"))) {
            byte[] forged = new byte[UPLOAD_BYTES];
            Arrays.fill(forged, (byte) 'x');
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong slowestLiveness = new AtomicLong();
            CompletableFuture<Void> liveness = CompletableFuture.runAsync(() -> {
                while (flooding.get()) {
                    long started = System.nanoTime();
                    assertEquals(200, get(app, "/q/health/live").statusCode());
                    slowestLiveness.accumulateAndGet(System.nanoTime() - started, Math::max);
                }
            });

            List<CompletableFuture<RawHttp.Answer>> answers = new ArrayList<>();
            ExecutorService senders = Executors.newFixedThreadPool(UPLOADS);
            for (int i = 0; i < UPLOADS; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> upload(app, forged), senders));
            }
            Map<Integer, Integer> statuses = new HashMap<>();
            for (CompletableFuture<RawHttp.Answer> answer : answers) {
                RawHttp.Answer response = answer.get(90, TimeUnit.SECONDS);
                statuses.merge(response.status(), 1, Integer::sum);
                if (response.status() == 503) {
                    assertTrue(response.text().contains("\"reason\":\"overloaded\""), response.text());
                    assertTrue(response.text().toLowerCase().contains("retry-after: 5"), response.text());
                }
            }
            senders.shutdown();
            flooding.set(false);
            liveness.get(10, TimeUnit.SECONDS);

            assertEquals(UPLOADS, statuses.getOrDefault(401, 0) + statuses.getOrDefault(503, 0),
                    "every answer is 401 or 503: " + statuses);
            assertTrue(statuses.getOrDefault(503, 0) > 0, "some were shed: " + statuses);
            assertTrue(slowestLiveness.get() < LIVENESS_WITHIN.toNanos(),
                    "liveness answered within " + LIVENESS_WITHIN + ", slowest "
                            + Duration.ofNanos(slowestLiveness.get()));
            assertTrue(app.isAlive());
            assertTrue(get(app, "/q/metrics").body().contains(
                    "webhook_ingest_deliveries_total{outcome=\"unavailable\",reason=\"overloaded\",source=\"hubject\"}"));

            byte[] valid = Hubject.contractCreated(UUID.randomUUID().toString());
            HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(Instances.hubject(app))
                    .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Instances.SECRET, valid))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(valid)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, accepted.statusCode(), accepted.body());
        }
    }

    @Test
    void stalledUploadsAreCutOffAndDoNotHoldBackARealDelivery() throws Exception {
        Duration readTimeout = Duration.ofSeconds(5);
        Map<String, String> config = new HashMap<>();
        try (TestDatabase database = TestDatabase.create()) {
            config.putAll(Instances.config(database.reactiveUrl()));
            config.put("ingest.read-timeout", readTimeout.toSeconds() + "s");
            config.put("ingest.admin.token", ADMIN_TOKEN);
            try (AppProcess app = AppProcess.start("exposure-stalled", AppProcess.freePort(), config)) {
                List<Socket> stalled = new ArrayList<>();
                try {
                    for (int i = 0; i < STALLED; i++) {
                        Socket socket = new Socket("127.0.0.1", app.port());
                        socket.getOutputStream().write(("POST /webhooks/hubject HTTP/1.1\r\nHost: localhost\r\n"
                                + "Content-Type: application/json\r\nContent-Length: 20000\r\n\r\n{\"eventId\":")
                                .getBytes(StandardCharsets.US_ASCII));
                        stalled.add(socket);
                    }
                    byte[] valid = Hubject.contractCreated(UUID.randomUUID().toString());
                    long started = System.nanoTime();
                    HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(Instances.hubject(app))
                            .timeout(Duration.ofSeconds(5))
                            .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Instances.SECRET, valid))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(valid)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    Duration took = Duration.ofNanos(System.nanoTime() - started);
                    assertEquals(200, accepted.statusCode(), accepted.body());
                    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "answered promptly: " + took);

                    for (Socket socket : stalled) {
                        socket.setSoTimeout((int) readTimeout.plusSeconds(10).toMillis());
                        String answer = readUntilClosed(socket.getInputStream());
                        assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
                        assertTrue(answer.contains("\"reason\":\"request_timeout\""), answer);
                    }
                } finally {
                    for (Socket socket : stalled) {
                        socket.close();
                    }
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> get(app, "/q/metrics").body().contains(
                        "webhook_ingest_deliveries_total{outcome=\"rejected\",reason=\"timeout\",source=\"hubject\"} "
                                + STALLED + ".0"));
                await().atMost(Duration.ofSeconds(5)).until(() -> HTTP.send(HttpRequest.newBuilder(
                        app.managementUri("/admin/rejections?source=hubject"))
                        .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString())
                        .body().contains("\"status\":408"));
            }
        }
    }

    /** A forged upload, sent the careful way: headers first, the body only after 100 Continue. */
    private static RawHttp.Answer upload(AppProcess app, byte[] body) {
        try {
            return RawHttp.postExpectingContinue("127.0.0.1", app.port(), "/webhooks/hubject",
                    Map.of("Content-Type", "application/json", Hubject.SIGNATURE, "sha256=" + "ab".repeat(32)), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reservations are not free to hold: senders that declare large bodies and then send nothing are cut off within
     * seconds, far sooner than the read timeout, and the budget they held takes real deliveries again.
     */
    @Test
    void reservationsHeldWithoutSendingAreReclaimedWithinSeconds() throws Exception {
        try (TestDatabase database = TestDatabase.create();
             AppProcess app = AppProcess.start("exposure-held", AppProcess.freePort(),
                     Instances.config(database.reactiveUrl()), Map.of(), List.of("-Xmx256m"))) {
            List<Socket> holders = new ArrayList<>();
            try {
                for (int declared : new int[] {10 * 1024 * 1024, 5 * 1024 * 1024}) {
                    Socket socket = new Socket("127.0.0.1", app.port());
                    socket.getOutputStream().write(("POST /webhooks/hubject HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + declared + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    holders.add(socket);
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> inflightBytes(app) >= 4 * 15 * 1024 * 1024);

                byte[] real = Hubject.contractCreated(UUID.randomUUID().toString() + "\",\"pad\":\""
                        + "x".repeat(2 * 1024 * 1024));
                long started = System.nanoTime();
                assertEquals(503, deliver(app, real).statusCode(), "the held budget first turns it away");
                byte[] delivery = real;
                await().atMost(Duration.ofSeconds(10)).until(() -> deliver(app, delivery).statusCode() == 200);
                Duration reclaimed = Duration.ofNanos(System.nanoTime() - started);
                assertTrue(reclaimed.compareTo(Duration.ofSeconds(10)) < 0, "reclaimed in " + reclaimed);
                for (Socket holder : holders) {
                    holder.setSoTimeout(10_000);
                    assertTrue(readUntilClosed(holder.getInputStream()).startsWith("HTTP/1.1 408 "));
                }
            } finally {
                for (Socket holder : holders) {
                    holder.close();
                }
            }
        }
    }

    private static HttpResponse<String> deliver(AppProcess app, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(Instances.hubject(app))
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Instances.SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long inflightBytes(AppProcess app) {
        return get(app, "/q/metrics").body().lines().filter(line -> line.startsWith("webhook_ingest_inflight_bytes "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElse(0);
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(AppProcess app, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(app.managementUri(path)).timeout(LIVENESS_WITHIN).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(path + " did not answer within " + LIVENESS_WITHIN, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
