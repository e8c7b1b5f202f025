package io.webhookingest.observe;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.webhookingest.store.EventIds;
import io.webhookingest.store.EventRepository;
import io.webhookingest.store.EventStatus;
import io.webhookingest.store.NewEvent;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;
import io.webhookingest.testing.Topics;

/**
 * One trace from the sender's request to the Kafka record: the HTTP server span, the Postgres insert and the Kafka
 * producer span share the trace the request carried, and the record carries it on to consumers.
 */
@QuarkusTest
@TestProfile(TracingTest.Sampled.class)
@WithTestResource(KafkaBrokerResource.class)
class TracingTest {

    public static class Sampled implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "1.0");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Inject
    EventRepository repository;

    @Test
    void deliveryPublicationAndRecordShareTheSendersTrace() {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String parent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
        byte[] body = Hubject.contractCreated(UUID.randomUUID().toString());

        String id = given().header("traceparent", parent)
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, body))
                .body(body).post("/webhooks/hubject").then().statusCode(200).extract().path("events[0].id");

        ConsumerRecord<String, byte[]> record = Topics.awaitCloudEvent(Hubject.TOPIC, id);
        String carried = Topics.header(record, "traceparent");
        assertEquals(traceId, carried.split("-")[1], "the record continues the sender's trace");

        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(traceId).containsAll(
                List.of(SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER)));
        SpanData producer = inTrace(traceId).stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst()
                .orElseThrow();
        assertEquals(Hubject.TOPIC + " publish", producer.getName());
        assertEquals(id, producer.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals("messaging.message.id")).findFirst().orElseThrow()
                .getValue());
        assertEquals(producer.getSpanId(), carried.split("-")[2], "consumers see the producer span as parent");
        SpanData server = inTrace(traceId).stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst()
                .orElseThrow();
        assertEquals("POST /webhooks/:source", server.getName());
        assertEquals(200L, server.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
        assertEquals("/webhooks/hubject", server.getAttributes().get(AttributeKey.stringKey("url.path")));
        assertEquals(parent.split("-")[2], server.getParentSpanId(), "the sender's span is the parent");
        SpanData insert = inTrace(traceId).stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst()
                .orElseThrow();
        assertEquals("INSERT event", insert.getName(), "the Postgres insert is in the trace");
        assertEquals(server.getSpanId(), insert.getParentSpanId(), "the insert is the delivery's child");
        assertEquals("postgresql", insert.getAttributes().get(AttributeKey.stringKey("db.system.name")));
        assertEquals(1L, insert.getAttributes().get(AttributeKey.longKey("db.operation.batch.size")));
    }

    @Test
    void requestsToTheManagementInterfaceHaveNoSpanOfTheirOwn() {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String parent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
        Management.given().header("traceparent", parent).get("/q/health/ready").then().statusCode(200);
        Management.admin().header("traceparent", parent).get("/admin/events?limit=1").then().statusCode(200);
        byte[] body = Hubject.contractCreated(UUID.randomUUID().toString());
        given().header("traceparent", parent)
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, body))
                .body(body).post("/webhooks/hubject").then().statusCode(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(traceId).contains(SpanKind.SERVER));
        assertEquals(List.of("POST /webhooks/:source"), inTrace(traceId).stream()
                .filter(s -> s.getKind() == SpanKind.SERVER).map(SpanData::getName).toList());
    }

    /**
     * A group commit carries many deliveries, and whichever write or earlier batch starts it: its span is in the trace
     * of the batch's first sampled delivery, linked to the other sampled ones, and unsampled ones add nothing.
     */
    @Test
    void aBatchInsertIsAChildOfItsFirstSampledDeliveryLinkedToTheOthers() {
        String first = randomTraceParent("01");
        String second = randomTraceParent("01");
        String unsampled = randomTraceParent("00");
        List<NewEvent> batch = List.of(event(unsampled), event(first), event(second));

        repository.insert(batch).toCompletionStage().toCompletableFuture().join();

        String traceId = first.split("-")[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(traceId).contains(SpanKind.CLIENT));
        SpanData insert = inTrace(traceId).get(0);
        assertEquals(first.split("-")[2], insert.getParentSpanId());
        assertEquals(3L, insert.getAttributes().get(AttributeKey.longKey("db.operation.batch.size")));
        assertEquals(List.of(second.split("-")[1] + "-" + second.split("-")[2]), insert.getLinks().stream()
                .map(link -> link.getSpanContext().getTraceId() + "-" + link.getSpanContext().getSpanId()).toList());
        assertEquals(List.of(), inTrace(unsampled.split("-")[1]));
    }

    private static String randomTraceParent(String flags) {
        return "00-" + HexFormat.of().formatHex(randomBytes(16)) + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-"
                + flags;
    }

    private static NewEvent event(String traceParent) {
        return NewEvent.of(new EventIds(Clock.systemUTC()).next(), "tracing-batch", UUID.randomUUID().toString(), "t",
                "s", EventStatus.RECORDED, "webhooks.tracing", Instant.now(), new byte[] {'{', '}'}, null, "{}",
                traceParent);
    }

    private List<SpanData> inTrace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private List<SpanKind> kinds(String traceId) {
        return inTrace(traceId).stream().map(SpanData::getKind).toList();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
