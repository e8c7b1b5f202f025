package io.webhookingest.testing;

import static io.webhookingest.testing.Signatures.hmacHex;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.restassured.path.json.JsonPath;

/**
 * Sends a steady stream of distinct, validly signed Hubject deliveries to one or more running instances, round
 * robin, and records what each answer was: which events were acknowledged (and their ids), which got a 5xx, and how
 * many requests failed without an answer. It paces itself to a target rate per sender.
 */
public final class LoadDriver implements AutoCloseable {

    private final List<URI> endpoints;
    private final String secret;
    private final String prefix;
    private final long intervalNanos;
    private final ExecutorService senders;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger otherStatuses = new AtomicInteger();

    /**
     * @param endpoints      the {@code /webhooks/hubject} URLs of the instances
     * @param secret         the hubject secret they are configured with
     * @param senders        concurrent senders
     * @param perSenderRate  deliveries per second per sender
     */
    public LoadDriver(List<URI> endpoints, String secret, int senders, int perSenderRate) {
        this.endpoints = List.copyOf(endpoints);
        this.secret = secret;
        this.prefix = "load-" + UUID.randomUUID() + "-";
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSenderRate;
        this.senders = Executors.newFixedThreadPool(senders);
        for (int i = 0; i < senders; i++) {
            this.senders.execute(this::send);
        }
    }

    private void send() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long next = System.nanoTime();
        while (running.get()) {
            long n = sequence.getAndIncrement();
            String eventId = prefix + n;
            byte[] body = Hubject.contractCreated(eventId);
            URI endpoint = endpoints.get((int) (n % endpoints.size()));
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(endpoint)
                        .timeout(Duration.ofSeconds(30))
                        .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", secret, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    acknowledged.put(eventId, new JsonPath(response.body()).getString("events[0].id"));
                } else if (response.statusCode() >= 500) {
                    serverErrors.add(response.statusCode() + " " + response.body());
                } else {
                    otherStatuses.incrementAndGet();
                }
            } catch (IOException e) {
                unanswered.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    /** Event id → CloudEvent id of every delivery answered 200. */
    public Map<String, String> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    public int acknowledgedCount() {
        return acknowledged.size();
    }

    public List<String> serverErrors() {
        return List.copyOf(serverErrors);
    }

    /** Requests that got no answer at all (connection refused or closed): the sender would retry these. */
    public int unanswered() {
        return unanswered.get();
    }

    public int otherStatuses() {
        return otherStatuses.get();
    }

    /** Stops sending and waits for the requests under way to be answered. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        senders.shutdown();
        if (!senders.awaitTermination(60, TimeUnit.SECONDS)) {
            senders.shutdownNow();
        }
    }
}
