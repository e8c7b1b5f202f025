package io.webhookingest.observe;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Topics;

/**
 * Callers cannot make this service record more than its configured share of traces: not with the sampled flag, and
 * not with trace ids that a trace-id-ratio sampler would always keep. Their trace context is carried on regardless,
 * and a publication follows the decision taken when its delivery arrived.
 */
@QuarkusTest
@TestProfile(TracingCannotBeForcedTest.FivePercent.class)
@WithTestResource(KafkaBrokerResource.class)
class TracingCannotBeForcedTest {

    static final int DELIVERIES = 400;
    /** 20 expected at 5 %; fewer than 5 or more than 60 at random is below one in 10^5 and 10^12. */
    static final int FEWEST_RECORDED = 5;
    static final int MOST_RECORDED = 60;

    public static class FivePercent implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "0.05");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void sampledTraceparentsWithLowTraceIdsAreRecordedOnlyAtTheConfiguredRatio() {
        spans.reset();
        Map<String, String> traceOfEvent = new HashMap<>();
        for (int i = 1; i <= DELIVERIES; i++) {
            String traceId = String.format("%032x", i);
            byte[] body = Hubject.contractCreated(UUID.randomUUID().toString());
            String id = given().header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                    .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, body))
                    .body(body).post("/webhooks/hubject").then().statusCode(200).extract().path("events[0].id");
            traceOfEvent.put(id, traceId);
        }

        Map<String, ConsumerRecord<String, byte[]>> records = await().atMost(Duration.ofSeconds(30))
                .until(() -> Topics.readAll(Hubject.TOPIC).stream()
                        .filter(r -> traceOfEvent.containsKey(Topics.header(r, "ce_id")))
                        .collect(Collectors.toMap(r -> Topics.header(r, "ce_id"), r -> r, (a, b) -> a)),
                        found -> found.size() == DELIVERIES);
        Set<String> sampled = new HashSet<>();
        for (Map.Entry<String, String> event : traceOfEvent.entrySet()) {
            String[] carried = Topics.header(records.get(event.getKey()), "traceparent").split("-");
            assertEquals(event.getValue(), carried[1], "the record continues the caller's trace");
            if (carried[3].equals("01")) {
                sampled.add(event.getValue());
            }
        }
        assertTrue(sampled.size() >= FEWEST_RECORDED && sampled.size() <= MOST_RECORDED,
                sampled.size() + " of " + DELIVERIES + " traces sampled");
        // Once the exporter caught up, exactly the sampled traces were recorded, at the request, at the insert (each
        // delivery here is a batch of its own; no other statement makes a span) and at publication.
        await().atMost(Duration.ofSeconds(30)).until(() -> traces(SpanKind.SERVER).containsAll(sampled)
                && traces(SpanKind.CLIENT).containsAll(sampled) && traces(SpanKind.PRODUCER).containsAll(sampled));
        assertEquals(sampled, traces(SpanKind.SERVER));
        assertEquals(sampled, traces(SpanKind.CLIENT));
        assertEquals(sampled, traces(SpanKind.PRODUCER));
    }

    private Set<String> traces(SpanKind kind) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getKind() == kind)
                .map(SpanData::getTraceId).collect(Collectors.toSet());
    }
}
