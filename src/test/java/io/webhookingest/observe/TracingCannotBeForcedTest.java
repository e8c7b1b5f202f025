package io.webhookingest.observe;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * not with trace ids that a trace-id-ratio sampler would always keep. Their trace context is carried on regardless.
 */
@QuarkusTest
@TestProfile(TracingCannotBeForcedTest.OnePercent.class)
@WithTestResource(KafkaBrokerResource.class)
class TracingCannotBeForcedTest {

    static final int DELIVERIES = 200;
    /** Far above the 2 expected at 1 %; the chance of more at random is below one in 10^12. */
    static final int MOST_RECORDED = 20;

    public static class OnePercent implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "0.01");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void sampledTraceparentsWithLowTraceIdsAreRecordedOnlyAtTheConfiguredRatio() {
        spans.reset();
        String lastId = null;
        String lastTraceId = null;
        for (int i = 1; i <= DELIVERIES; i++) {
            lastTraceId = String.format("%032x", i);
            byte[] body = Hubject.contractCreated(UUID.randomUUID().toString());
            lastId = given().header("traceparent", "00-" + lastTraceId + "-00f067aa0ba902b7-01")
                    .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, body))
                    .body(body).post("/webhooks/hubject").then().statusCode(200).extract().path("events[0].id");
        }
        ConsumerRecord<String, byte[]> record = Topics.awaitCloudEvent(Hubject.TOPIC, lastId);
        assertEquals(lastTraceId, Topics.header(record, "traceparent").split("-")[1],
                "the record continues the caller's trace");

        Set<String> recorded = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.SERVER)
                .map(SpanData::getTraceId).collect(Collectors.toSet());
        assertTrue(recorded.size() <= MOST_RECORDED, recorded.size() + " of " + DELIVERIES + " traces recorded");
    }
}
