package io.webhookingest.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.webhookingest.dev.EmbeddedKafka;
import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.Metrics;
import io.webhookingest.testing.SubjectLoad;
import io.webhookingest.testing.TcpProxy;
import io.webhookingest.testing.TestDatabase;
import io.webhookingest.testing.Topics;

/**
 * The connection between the relay and the broker fails again and again under per-subject load, for a moment or for
 * longer than a send may take: sends fail in the middle of rounds, some batches of a partition expire while later
 * ones are still in flight. Every acknowledged event still reaches the topic, and each subject's first occurrences
 * there are in the order the store committed them. The broker is reached only through the proxy: it advertises the
 * proxy's address on the listener the application uses.
 */
class RelayOrderUnderFaultsIT {

    /** Seeds the fault schedule; {@code -Dfaults.seed=…} repeats another run's schedule. */
    private static final long SEED = Long.getLong("faults.seed", 20261202L);

    @Test
    void eachSubjectsFirstOccurrencesStayInStoredOrderThroughBrokerConnectionFaults() throws Exception {
        int listenerPort = AppProcess.freePort();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", listenerPort);
             EmbeddedKafka broker = EmbeddedKafka.start(Map.of(
                     "listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,PROXIED://127.0.0.1:" + listenerPort,
                     "advertised.listeners", "EXTERNAL://localhost:0,PROXIED://127.0.0.1:" + proxy.port(),
                     "listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT"));
             TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = Instances.config(database.reactiveUrl());
            config.put("kafka.bootstrap.servers", "127.0.0.1:" + proxy.port());
            // A round may take 3 s, longer than a send: sends fail inside rounds, not only when a round is cut short.
            config.put("ingest.relay.lease-ttl", "9s");
            config.put("ingest.relay.backoff-max", "500ms");
            config.put("ingest.relay.producer.\"request.timeout.ms\"", "800");
            config.put("ingest.relay.producer.\"delivery.timeout.ms\"", "1200");
            config.put("ingest.relay.producer.\"reconnect.backoff.max.ms\"", "200");
            try (AppProcess app = AppProcess.start("relay-order-faults", AppProcess.freePort(), config)) {
                SubjectLoad load = new SubjectLoad(List.of(Instances.hubject(app)), Instances.SECRET, 8, 25,
                        Duration.ZERO);
                await().atMost(Duration.ofSeconds(30)).until(() -> load.acknowledgedCount() >= 500);
                Random random = new Random(SEED);
                // Printed so that a failing schedule can be replayed with -Dfaults.seed; the pauses are the schedule
                // itself (faults at seeded moments while the load runs), not waits for a condition.
                System.out.println("RelayOrderUnderFaultsIT fault schedule seed " + SEED);
                for (int fault = 0; fault < 12; fault++) {
                    Thread.sleep(300 + random.nextInt(1500));
                    proxy.cut();
                    Thread.sleep(200 + random.nextInt(2500));
                    proxy.restore();
                }
                load.close();
                assertEquals(List.of(), load.refusals());
                Map<String, List<String>> acknowledged = load.acknowledged();
                Set<String> expected = acknowledged.values().stream().flatMap(List::stream)
                        .collect(Collectors.toSet());
                String bootstrap = broker.bootstrapServers();
                var records = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> Topics.readAll(bootstrap, Hubject.TOPIC), published -> published.stream()
                                .map(r -> Topics.header(r, "ce_id")).collect(Collectors.toSet())
                                .containsAll(expected));

                SubjectLoad.assertFirstOccurrencesInOrder(acknowledged, records);
                assertTrue(Metrics.total(app.metrics(), "webhook_ingest_publish_failures_total") > 0,
                        "the faults made sends fail");
                assertTrue(expected.size() >= 2000, "enough events to mean something: " + expected.size());
            }
        }
    }
}
