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

/**
 * A short, slow run of the benchmark, so that CI notices when it no longer works: every phase runs against the
 * packaged application, every delivery of every provider is accepted, and every accepted event reaches Kafka. It
 * measures nothing worth reading; the benchmark itself is run on demand (see the README).
 */
class BenchmarkSmokeIT {

    @Test
    void everyPhaseRunsAndEveryAcceptedDeliveryReachesKafka() throws Exception {
        Settings settings = new Settings(200, Duration.ofSeconds(4), Duration.ofSeconds(4), 2_000, 32, 8, "",
                List.of("-Xmx512m"));

        Report report = Benchmark.run(settings);

        assertEquals(List.of(Benchmark.FULL, Benchmark.HALF, Benchmark.FULL_PREFILLED),
                report.phases().stream().map(Result::name).toList(), Benchmark.render(report));
        assertAll(report.phases().stream().map(phase -> () -> {
            assertEquals(phase.sent(), phase.ok(), phase.name() + " accepted every delivery");
            assertEquals(0, phase.non2xx() + phase.errors(), phase.name() + " had no failure");
            assertEquals(phase.ok(), phase.latency().getTotalCount(), phase.name() + " timed every answer");
        }));
        assertEquals(1, report.warmUp().size());
        assertEquals(0, report.failedWarmUp());
        assertTrue(report.capacity().rate().ok() > 0);
        assertTrue(report.capacity().cpu().appNanos() > 0, "the application's CPU time is measured");
        assertTrue(report.ceiling().rate().perSecond() > 0);
        assertTrue(report.accepted() > 4 * 200, "the open-loop phases alone accepted " + report.accepted());
        assertEquals(report.accepted(), report.onKafka(), "every accepted delivery is on Kafka");
    }
}
