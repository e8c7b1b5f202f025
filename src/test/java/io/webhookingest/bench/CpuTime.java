package io.webhookingest.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CPU time used so far by each party on this machine: the application, Postgres (every process of the local cluster,
 * run as user {@code postgres}), the Kafka broker (the threads it started in this JVM) and the load generator (the
 * rest of this JVM: the senders, the consumer checking records off, garbage collection and compilation). The
 * difference of two readings over a closed-loop round, divided by the requests answered, is what one request costs
 * each of them; the first three are what the service costs the machine.
 */
record CpuTime(long appNanos, long postgresNanos, long brokerNanos, long generatorNanos, long[] brokerThreadNanos) {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The parties measured: the application's process and the broker's threads (none for a broker elsewhere). */
    record Parties(ProcessHandle app, long[] brokerThreads) {

        /** The threads of this JVM now; read before the broker starts, the threads it starts are told apart. */
        static Set<Long> liveThreads() {
            return Arrays.stream(THREADS.getAllThreadIds()).boxed().collect(Collectors.toSet());
        }

        /** The threads started since {@code before} was read. */
        static long[] startedSince(Set<Long> before) {
            return Arrays.stream(THREADS.getAllThreadIds()).filter(id -> !before.contains(id)).toArray();
        }

        /** A thread that ended since reads -1, and counts for nothing from then on. */
        CpuTime read() {
            long postgres = ProcessHandle.allProcesses()
                    .filter(process -> process.info().user().orElse("").equals("postgres"))
                    .mapToLong(CpuTime::cpuNanos).sum();
            long[] threads = Arrays.stream(brokerThreads).map(THREADS::getThreadCpuTime).toArray();
            long broker = Arrays.stream(threads).filter(nanos -> nanos > 0).sum();
            return new CpuTime(cpuNanos(app), postgres, broker, cpuNanos(ProcessHandle.current()) - broker, threads);
        }
    }

    /** The broker's share is that of the threads alive at both readings; the rest of this JVM is the generator's. */
    CpuTime since(CpuTime earlier) {
        long broker = 0;
        for (int i = 0; i < brokerThreadNanos.length; i++) {
            if (brokerThreadNanos[i] >= 0 && earlier.brokerThreadNanos[i] >= 0) {
                broker += brokerThreadNanos[i] - earlier.brokerThreadNanos[i];
            }
        }
        long jvm = generatorNanos + brokerNanos - earlier.generatorNanos - earlier.brokerNanos;
        return new CpuTime(appNanos - earlier.appNanos, postgresNanos - earlier.postgresNanos, broker, jvm - broker,
                new long[0]);
    }

    /** The service's CPU: the application, Postgres and the broker. */
    long serviceNanos() {
        return appNanos + postgresNanos + brokerNanos;
    }

    /** Microseconds of each party's CPU per request. */
    String perRequest(long requests) {
        double count = Math.max(1, requests);
        return String.format(Locale.ROOT, "application %.0f µs, Postgres %.0f µs, broker %.0f µs (the service: %.0f µs);"
                + " load generator %.0f µs", appNanos / 1e3 / count, postgresNanos / 1e3 / count,
                brokerNanos / 1e3 / count, serviceNanos() / 1e3 / count, generatorNanos / 1e3 / count);
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
