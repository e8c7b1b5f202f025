package io.webhookingest.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * CPU time used so far by each party on this machine: the application, Postgres (every process of the local cluster,
 * run as user {@code postgres}) and this JVM, which holds the load generator and the Kafka broker. The difference of
 * two readings over a closed-loop round, divided by the requests answered, is what one request costs each of them.
 */
record CpuTime(long appNanos, long postgresNanos, long generatorNanos) {

    static CpuTime of(ProcessHandle app) {
        long postgres = ProcessHandle.allProcesses()
                .filter(process -> process.info().user().orElse("").equals("postgres"))
                .mapToLong(CpuTime::cpuNanos).sum();
        return new CpuTime(cpuNanos(app), postgres, cpuNanos(ProcessHandle.current()));
    }

    CpuTime since(CpuTime earlier) {
        return new CpuTime(appNanos - earlier.appNanos, postgresNanos - earlier.postgresNanos,
                generatorNanos - earlier.generatorNanos);
    }

    /** Microseconds of each party's CPU per request, as "application …, Postgres …, broker and generator …". */
    String perRequest(long requests) {
        double count = Math.max(1, requests);
        return String.format(Locale.ROOT, "application %.0f µs, Postgres %.0f µs, broker and generator %.0f µs",
                appNanos / 1e3 / count, postgresNanos / 1e3 / count, generatorNanos / 1e3 / count);
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
