package io.webhookingest.testing;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.restassured.path.json.JsonPath;

/**
 * Hubject deliveries for many subjects (the contract's EMAID), each subject's strictly one after another: a
 * subject's next event is sent only once the previous one was answered 200, and a delivery without an answer or with
 * a 5xx is retried, as a provider does, before anything later of that subject. So each subject's acknowledged events
 * are in the order the store committed them, and the topic must carry their first occurrences in that order.
 */
public final class SubjectLoad implements AutoCloseable {

    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    private final List<URI> endpoints;
    private final String secret;
    private final String prefix = "subject-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final ExecutorService senders;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger acknowledgedCount = new AtomicInteger();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final long pauseNanos;

    /**
     * @param endpoints the {@code /webhooks/hubject} URLs, spread over the senders
     * @param senders   concurrent senders; each owns {@code subjectsPerSender} subjects and cycles through them
     * @param pause     how long each sender waits between deliveries
     */
    public SubjectLoad(List<URI> endpoints, String secret, int senders, int subjectsPerSender, Duration pause) {
        this.endpoints = List.copyOf(endpoints);
        this.secret = secret;
        this.pauseNanos = pause.toNanos();
        this.senders = Executors.newFixedThreadPool(senders);
        for (int s = 0; s < senders; s++) {
            List<String> subjects = new ArrayList<>();
            for (int i = 0; i < subjectsPerSender; i++) {
                subjects.add(prefix + s + "-" + i);
            }
            int firstEndpoint = s % endpoints.size();
            this.senders.execute(() -> send(subjects, firstEndpoint));
        }
    }

    private void send(List<String> subjects, int firstEndpoint) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        Map<String, Integer> next = new LinkedHashMap<>();
        int endpoint = firstEndpoint;
        for (long n = 0; running.get(); n++) {
            String subject = subjects.get((int) (n % subjects.size()));
            String eventId = subject + "-" + next.merge(subject, 1, Integer::sum);
            Answer answer = deliverUntilAcknowledged(client, subject, eventId, endpoint);
            if (answer == null) {
                return;
            }
            endpoint = answer.endpoint();
            acknowledged.computeIfAbsent(subject, key -> new CopyOnWriteArrayList<>()).add(answer.cloudEventId());
            acknowledgedCount.incrementAndGet();
            if (pauseNanos > 0) {
                LockSupport.parkNanos(pauseNanos);
            }
        }
    }

    /** A delivery's CloudEvent id and the endpoint that answered it. */
    private record Answer(String cloudEventId, int endpoint) {
    }

    /**
     * Delivers until answered 200; null if refused or interrupted. A sender stays with the endpoint that last answered
     * and moves to the next one after a failure, so that a frozen instance costs it one attempt's timeout.
     */
    private Answer deliverUntilAcknowledged(HttpClient client, String subject, String eventId, int endpoint) {
        byte[] body = ("{\"eventId\":\"" + eventId + "\",\"eventType\":\"oem.contract.created\","
                + "\"payload\":{\"emaid\":\"" + subject + "\",\"pcid\":\"PCID\"}}").getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + hmacHex("HmacSHA256", secret, body);
        // Retries go on after close() until answered: an unanswered delivery may be committed, and a later one of
        // the subject must not be checked against an order the test cannot know.
        for (int attempt = endpoint; ; attempt = (attempt + 1) % endpoints.size()) {
            HttpRequest request = HttpRequest.newBuilder(endpoints.get(attempt))
                    .timeout(ATTEMPT_TIMEOUT)
                    .header(Hubject.SIGNATURE, signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return new Answer(new JsonPath(response.body()).getString("events[0].id"), attempt);
                }
                if (response.statusCode() < 500) {
                    refusals.add(response.statusCode() + " " + response.body());
                    return null;
                }
            } catch (IOException e) {
                // No answer: retried like a 5xx.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            LockSupport.parkNanos(RETRY_PAUSE.toNanos());
        }
    }

    public int acknowledgedCount() {
        return acknowledgedCount.get();
    }

    /** Subject → CloudEvent ids of its acknowledged events, in the order they were acknowledged. */
    public Map<String, List<String>> acknowledged() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        acknowledged.forEach((subject, ids) -> copy.put(subject, List.copyOf(ids)));
        return copy;
    }

    /** Deliveries answered with a 4xx: none are expected. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** Stops starting new deliveries and waits for those under way to be answered. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        senders.shutdown();
        if (!senders.awaitTermination(90, TimeUnit.SECONDS)) {
            senders.shutdownNow();
        }
    }

    /**
     * Asserts that every acknowledged event is among the records and that, for each subject, the first occurrences
     * of its events (records of one subject share a key, so one partition, read in offset order) are in the order
     * they were acknowledged. Later duplicates are allowed.
     */
    public static void assertFirstOccurrencesInOrder(Map<String, List<String>> acknowledged,
            List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Set<String>> firstOccurrences = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            firstOccurrences.computeIfAbsent(record.key(), key -> new LinkedHashSet<>())
                    .add(Topics.header(record, "ce_id"));
        }
        int checked = 0;
        for (Map.Entry<String, List<String>> subject : acknowledged.entrySet()) {
            List<String> published = new ArrayList<>(firstOccurrences.getOrDefault(subject.getKey(), Set.of()));
            assertTrue(published.containsAll(subject.getValue()),
                    "every acknowledged event of " + subject.getKey() + " is on the topic");
            published.retainAll(Set.copyOf(subject.getValue()));
            assertEquals(subject.getValue(), published,
                    "the first occurrences of " + subject.getKey() + "'s events are in the order they were stored");
            checked += published.size();
        }
        assertTrue(checked > 0, "events were checked");
    }
}
