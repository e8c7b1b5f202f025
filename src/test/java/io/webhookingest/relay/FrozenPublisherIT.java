package io.webhookingest.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.SubjectLoad;
import io.webhookingest.testing.TestDatabase;
import io.webhookingest.testing.Topics;

/**
 * The publishing instance is frozen (SIGSTOP) in the middle of its work, under per-subject load, for longer than its
 * lease; the other instance takes over and publishes; then the frozen one is thawed (SIGCONT) and carries on with
 * whatever round it was in. Twice, so that each instance is frozen once. Nothing acknowledged is lost, each subject's
 * first occurrences on the topic stay in stored order, and only one instance publishes afterwards.
 */
class FrozenPublisherIT {

    @Test
    void aPublisherFrozenPastItsLeaseNeitherLosesNorReordersAnythingWhenItThaws() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = Instances.config(database.reactiveUrl());
            try (AppProcess first = AppProcess.start("frozen-publisher-a", AppProcess.freePort(), config);
                 AppProcess second = AppProcess.start("frozen-publisher-b", AppProcess.freePort(), config)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> first.isPublishing() ^ second.isPublishing());
                SubjectLoad load = new SubjectLoad(List.of(Instances.hubject(first), Instances.hubject(second)),
                        Instances.SECRET, 6, 20, Duration.ZERO);
                for (int freeze = 0; freeze < 2; freeze++) {
                    AppProcess publisher = first.isPublishing() ? first : second;
                    AppProcess standby = publisher == first ? second : first;
                    int before = load.acknowledgedCount();
                    await().atMost(Duration.ofSeconds(30)).until(() -> load.acknowledgedCount() >= before + 500);
                    publisher.freeze();
                    try {
                        await().atMost(Duration.ofSeconds(20)).until(standby::isPublishing);
                        int takenOver = load.acknowledgedCount();
                        await().atMost(Duration.ofSeconds(30)).until(() -> load.acknowledgedCount() >= takenOver + 300);
                    } finally {
                        publisher.thaw();
                    }
                    await().atMost(Duration.ofSeconds(20)).until(() -> first.isPublishing() ^ second.isPublishing());
                    assertTrue(standby.isPublishing(), "the instance that took over keeps the lease");
                }
                load.close();
                assertEquals(List.of(), load.refusals());

                Map<String, List<String>> acknowledged = load.acknowledged();
                Set<String> expected = acknowledged.values().stream().flatMap(List::stream)
                        .collect(Collectors.toSet());
                var records = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> Topics.readAll(Hubject.TOPIC), published -> published.stream()
                                .map(r -> Topics.header(r, "ce_id")).collect(Collectors.toSet())
                                .containsAll(expected));
                SubjectLoad.assertFirstOccurrencesInOrder(acknowledged, records);
                assertTrue(expected.size() >= 1600, "enough events to mean something: " + expected.size());
            }
        }
    }
}
