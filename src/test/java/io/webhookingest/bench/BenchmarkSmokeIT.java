package io.webhookingest.bench;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.webhookingest.bench.Benchmark.Report;
import io.webhookingest.bench.Benchmark.Settings;
import io.webhookingest.bench.OpenLoopLoad.Result;
import io.webhookingest.testing.AppProcess;

/**
 * Short, slow runs of the benchmark, so that CI notices when it no longer works: every phase runs against the
 * packaged application, every delivery of every provider is accepted, every accepted event id reaches Kafka, and
 * retention expires the aged backlog but for what it must keep. They measure nothing worth reading; the benchmark
 * itself is run on demand (see the README).
 */
class BenchmarkSmokeIT {

    @Test
    void everyPhaseRunsAndEveryAcceptedEventReachesKafkaWhileRetentionExpiresTheAgedBacklog() throws Exception {
        Settings settings = new Settings(200, Duration.ofSeconds(4), Duration.ofSeconds(4), 2_000, 20_000, false, 32,
                8, "", List.of("-Xmx512m"), AppProcess.currentJava(), "2s");

        Report report = Benchmark.run(settings);

        String rendered = Benchmark.render(report);
        assertEquals(List.of(Benchmark.FULL, Benchmark.HALF, Benchmark.FULL_PREFILLED, Benchmark.FULL_EXPIRING),
                report.phases().stream().map(Result::name).toList(), rendered);
        assertEveryDeliveryAccepted(report.phases());
        assertEquals(1, report.warmUp().size());
        assertEquals(0, report.failedWarmUp());
        assertTrue(report.capacity().rate().ok() > 0);
        assertEquals(4, report.warmUpCurve().size(), "a count for each whole second of the warm-up");
        assertEquals(report.capacity().rate().ok(), report.warmUpCurve().stream().mapToLong(Long::longValue).sum(),
                1.0 + report.capacity().rate().ok() / 10.0, "the seconds hold nearly every answer");
        assertEquals(0, report.secondsToReach(0), "any rate reaches none");
        assertEquals(-1, report.secondsToReach(5), "no second of a 4 s round holds five times its average");
        assertTrue(report.capacity().cpu().appNanos() > 0, "the application's CPU time is measured");
        assertTrue(report.capacity().cpu().brokerNanos() > 0, "the broker's CPU time is measured apart");
        assertTrue(report.capacity().cpu().generatorNanos() > 0, "and so is the load generator's");
        assertTrue(report.ceiling().rate().perSecond() > 0);
        long answered = report.capacity().rate().ok() + report.phases().stream().mapToLong(Result::ok).sum();
        assertTrue(report.acceptedIds() > answered, "every accepted answer's id is counted: " + report.acceptedIds());
        assertEquals(List.of(), report.missing(), "every accepted event id is on Kafka");
        long redelivered = report.redeliveries().halfRedelivered().stream().mapToLong(r -> r.rate().ok()).sum();
        assertTrue(redelivered > 0, rendered);
        assertEquals(0, report.redeliveries().halfRedelivered().stream().mapToLong(r -> r.rate().failed()).sum());
        assertEquals(redelivered / 2, report.redeliveries().duplicates(), "every other one is a redelivery, "
                + "answered as the duplicate of the event stored before: " + rendered);
        assertEquals(20_000, report.expiry().aged().events());
        assertEquals(2 * 20, report.expiry().aged().kept(), "one in a thousand failed, as many quarantined");
        assertEquals(report.expiry().aged().kept(), report.expiry().left(), rendered);
        assertTrue(report.expiry().partitionsDropped() >= 3, rendered);
        assertTrue(report.passed());
    }

    @Test
    void theSoakRunsInWindowsAndMeasuresTheStorage() throws Exception {
        Settings settings = new Settings(200, Duration.ofSeconds(6), Duration.ofSeconds(2), 0, 0, true, 32, 8, "",
                List.of("-Xmx512m"), AppProcess.currentJava(), "0s");

        Report report = Benchmark.run(settings);

        assertEquals(1, report.soak().size(), Benchmark.render(report));
        assertEveryDeliveryAccepted(report.soak().stream().map(Benchmark.Window::load).toList());
        assertTrue(report.soak().get(0).sizes().eventBytes() > report.soakStart().eventBytes(),
                "the window's events take room");
        assertTrue(report.soak().get(0).sizes().eventPartitions() > 1, "minute partitions are created ahead");
        assertEquals(List.of(), report.missing());
    }

    private static void assertEveryDeliveryAccepted(List<Result> loads) {
        assertAll(loads.stream().map(phase -> () -> {
            assertEquals(phase.sent(), phase.ok(), phase.name() + " accepted every delivery");
            assertEquals(0, phase.non2xx() + phase.errors(), phase.name() + " had no failure");
            assertEquals(phase.ok(), phase.latency().getTotalCount(), phase.name() + " timed every answer");
        }));
    }
}
