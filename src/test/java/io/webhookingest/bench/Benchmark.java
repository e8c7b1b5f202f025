package io.webhookingest.bench;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.HdrHistogram.Histogram;
import org.awaitility.core.ConditionTimeoutException;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.webhookingest.bench.ClosedLoop.Rate;
import io.webhookingest.bench.OpenLoopLoad.Result;
import io.webhookingest.bench.SignedDeliveries.Delivery;
import io.webhookingest.dev.EmbeddedKafka;
import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.TestDatabase;

/**
 * The throughput and latency benchmark. It starts a real Kafka broker (in this JVM), a fresh Postgres database and
 * the packaged application (its own JVM), all on this machine, then measures, in one run: the closed-loop capacity for
 * signed deliveries (which also warms the JIT up), the ceiling of the application's trivial endpoint, then, open loop,
 * the accepted rate and latency of deliveries at the target rate, the latency at half of it, and the target rate again
 * with events already stored. After each phase it waits until every accepted event is on Kafka and checks the count.
 * Settings are system properties, see {@link Settings}.
 * <p>
 * Run with {@code ./mvnw -Pbench verify -DskipTests} (see the README).
 */
public final class Benchmark {

    /**
     * @param rate         deliveries per second at full rate ({@code bench.rate})
     * @param duration     how long the full-rate phases last ({@code bench.duration}, seconds)
     * @param warmup       how long deliveries are sent closed loop before anything is measured open loop
     *                     ({@code bench.warmup}, seconds, in rounds of up to ten)
     * @param prefill      events stored before the last phase ({@code bench.prefill}; 0 skips it)
     * @param connections  connections the open-loop generator may open ({@code bench.connections})
     * @param concurrency  requests kept in flight by the closed-loop runs ({@code bench.concurrency})
     * @param kafka        an existing broker to use instead of starting one ({@code bench.kafka})
     * @param appJvm       the application's JVM options ({@code bench.app-jvm})
     */
    record Settings(double rate, Duration duration, Duration warmup, long prefill, int connections, int concurrency,
            String kafka, List<String> appJvm) {

        Settings {
            if (rate <= 0 || duration.isNegative() || duration.isZero() || warmup.isNegative() || warmup.isZero()
                    || connections <= 0 || concurrency <= 0 || prefill < 0) {
                throw new IllegalArgumentException("bench.rate, bench.duration, bench.warmup, bench.connections and"
                        + " bench.concurrency must be positive, bench.prefill not negative");
            }
        }

        static Settings fromSystemProperties() {
            return new Settings(Double.parseDouble(System.getProperty("bench.rate", "10000")),
                    Duration.ofSeconds(Long.parseLong(System.getProperty("bench.duration", "60"))),
                    Duration.ofSeconds(Long.parseLong(System.getProperty("bench.warmup", "60"))),
                    Long.parseLong(System.getProperty("bench.prefill", "1000000")),
                    Integer.parseInt(System.getProperty("bench.connections", "256")),
                    Integer.parseInt(System.getProperty("bench.concurrency", "128")),
                    System.getProperty("bench.kafka", ""),
                    Arrays.asList(System.getProperty("bench.app-jvm", "-Xms1g -Xmx1g -XX:+UseParallelGC").split(" ")));
        }
    }

    /**
     * Everything one run measured.
     *
     * @param warmUp  the closed-loop delivery rounds, in order; the last one is the warm capacity
     * @param ceiling the best of the trivial endpoint's closed-loop rounds, measured before the last warm-up round
     */
    record Report(Settings settings, List<Round> warmUp, Round ceiling, List<Result> phases, long accepted,
            long onKafka, DatabaseCost fullRateCost) {

        Result phase(String name) {
            return phases.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }

        Round capacity() {
            return warmUp.get(warmUp.size() - 1);
        }

        long failedWarmUp() {
            return warmUp.stream().mapToLong(round -> round.rate().failed()).sum();
        }

        boolean allPublished() {
            return accepted == onKafka;
        }
    }

    /** One closed-loop round and the CPU each party used during it. */
    record Round(Rate rate, CpuTime cpu) {

        static Round measure(ProcessHandle app, Callable<Rate> round) throws Exception {
            CpuTime before = CpuTime.of(app);
            Rate rate = round.call();
            return new Round(rate, CpuTime.of(app).since(before));
        }

        String cpuPerRequest() {
            return cpu.perRequest(rate.ok());
        }
    }

    static final String FULL = "full rate";
    static final String HALF = "half rate";
    static final String FULL_PREFILLED = "full rate, prefilled";
    static final Duration ROUND = Duration.ofSeconds(10);
    static final int CEILING_ROUNDS = 4;

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        Arrays.stream(root.getHandlers()).forEach(handler -> handler.setLevel(Level.WARNING));
        Report report = run(Settings.fromSystemProperties());
        // The report is this command's output, a table to read or paste, not a log line; logging stays at WARN.
        System.out.println(render(report));
        System.exit(report.allPublished() ? 0 : 1);
    }

    static Report run(Settings settings) throws Exception {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        EmbeddedKafka embedded = settings.kafka().isEmpty() ? EmbeddedKafka.start() : null;
        String bootstrap = embedded != null ? embedded.bootstrapServers() : settings.kafka();
        Vertx vertx = Vertx.vertx();
        try (TestDatabase database = TestDatabase.create()) {
            SignedDeliveries deliveries = new SignedDeliveries(runId);
            Map<String, String> config = new HashMap<>(deliveries.sourceConfig());
            config.put("kafka.bootstrap.servers", bootstrap);
            config.put("quarkus.datasource.reactive.url", database.reactiveUrl());
            int port = AppProcess.freePort();
            try (AppProcess app = AppProcess.start("benchmark", port, config, Map.of(), settings.appJvm())) {
                HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                        new PoolOptions().setHttp1MaxSize(Math.max(settings.connections(), settings.concurrency())));
                AtomicLong sequence = new AtomicLong();
                Supplier<RequestSpec> webhook = () -> {
                    Delivery delivery = deliveries.delivery(sequence.getAndIncrement());
                    return RequestSpec.post(port, delivery.path(), delivery.headers(), delivery.body());
                };
                long accepted = 0;
                List<Round> warmUp = new ArrayList<>();
                Round ceiling = null;
                long warmupMillis = settings.warmup().toMillis();
                for (long done = 0; done < warmupMillis; done += ROUND.toMillis()) {
                    boolean lastRound = done + ROUND.toMillis() >= warmupMillis;
                    if (lastRound) {
                        // Between warm-up rounds, so that the deliveries that follow run on code warmed for them.
                        ceiling = ceiling(vertx, client, app, settings.concurrency());
                    }
                    Duration round = Duration.ofMillis(Math.min(ROUND.toMillis(), warmupMillis - done));
                    warmUp.add(Round.measure(app.handle(),
                            () -> ClosedLoop.run(vertx, client, webhook, settings.concurrency(), round)));
                    accepted += warmUp.get(warmUp.size() - 1).rate().ok();
                }
                // The open-loop sender's own code warms up too, at a rate where its slow start cannot queue.
                accepted += OpenLoopLoad.run(vertx, client, "open-loop warm-up", settings.rate() / 2, ROUND, webhook)
                        .ok();
                awaitOnKafka(bootstrap, deliveries.topics(), accepted);
                List<Result> phases = new ArrayList<>();
                DatabaseCost fullRateCost = null;
                for (String phase : List.of(FULL, HALF)) {
                    double rate = phase.equals(FULL) ? settings.rate() : settings.rate() / 2;
                    Duration duration = phase.equals(FULL) ? settings.duration() : settings.duration().dividedBy(2);
                    DatabaseCost before = DatabaseCost.of(database);
                    phases.add(OpenLoopLoad.run(vertx, client, phase, rate, duration, webhook));
                    accepted += phases.get(phases.size() - 1).ok();
                    awaitOnKafka(bootstrap, deliveries.topics(), accepted);
                    if (phase.equals(FULL)) {
                        fullRateCost = DatabaseCost.of(database).since(before);
                    }
                }
                if (settings.prefill() > 0) {
                    prefill(database, settings.prefill(), deliveries);
                    phases.add(OpenLoopLoad.run(vertx, client, FULL_PREFILLED, settings.rate(), settings.duration(),
                            webhook));
                    accepted += phases.get(phases.size() - 1).ok();
                }
                long onKafka = awaitOnKafka(bootstrap, deliveries.topics(), accepted);
                app.stop();
                return new Report(settings, warmUp, ceiling, phases, accepted, onKafka, fullRateCost);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** The best of several closed-loop rounds on the trivial endpoint. */
    private static Round ceiling(Vertx vertx, HttpClient client, AppProcess app, int concurrency)
            throws Exception {
        Round best = null;
        for (int i = 0; i < CEILING_ROUNDS; i++) {
            Round round = Round.measure(app.handle(), () -> ClosedLoop.run(vertx, client,
                    () -> RequestSpec.get(app.managementPort(), "/q/health/live"), concurrency, ROUND.dividedBy(2)));
            best = best == null || round.rate().perSecond() > best.rate().perSecond() ? round : best;
        }
        return best;
    }

    /** Waits until the topics hold {@code expected} records in all; returns how many they hold. */
    static long awaitOnKafka(String bootstrap, List<String> topics, long expected) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Callable<Long> onKafka = () -> {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : topics) {
                    consumer.partitionsFor(topic, Duration.ofSeconds(10))
                            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            };
            try {
                return await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(onKafka, count -> count >= expected);
            } catch (ConditionTimeoutException e) {
                return onKafka.call();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not count the records on " + topics, e);
        }
    }

    /**
     * Stores {@code rows} published events, as if the service had run for a while, then refreshes statistics and
     * checkpoints.
     */
    static void prefill(TestDatabase database, long rows, SignedDeliveries deliveries) throws Exception {
        long base = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(2);
        try (Connection connection = database.connect();
             PreparedStatement insert = connection.prepareStatement("""
                     insert into event (id, source, identity, type, subject, status, topic, received_at, body,
                                        headers)
                     select (lpad(to_hex(? + g), 12, '0') || '7' || lpad(to_hex(g % 4096), 3, '0') || '8'
                                 || substr(md5(g::text), 1, 15))::uuid,
                            (array['hubject','stripe','github','standard-webhooks'])[g % 4 + 1],
                            'prefill-' || g, 'prefilled', 'subject-' || (g % 1000), 'published', ?,
                            to_timestamp((? + g) / 1000.0),
                            convert_to(repeat('{"prefilled":' || g || '}', 6), 'UTF8'),
                            '{"content-type":["application/json"]}'::json
                     from generate_series(1, ?) as g""")) {
            insert.setLong(1, base);
            insert.setString(2, deliveries.topic("hubject"));
            insert.setLong(3, base);
            insert.setLong(4, rows);
            insert.executeUpdate();
            try (Statement statement = connection.createStatement()) {
                statement.execute("vacuum analyze event");
                // Writes the prefill's pages out now, not during the phase that follows.
                statement.execute("checkpoint");
            }
        }
    }

    static String render(Report report) {
        StringBuilder out = new StringBuilder();
        Settings s = report.settings();
        out.append(String.format(Locale.ROOT,
                "%nwebhook-ingest benchmark: %d cores, target %.0f/s for %ds, prefill %d, app JVM %s%n%n",
                Runtime.getRuntime().availableProcessors(), s.rate(), s.duration().toSeconds(), s.prefill(),
                String.join(" ", s.appJvm())));
        out.append(String.format(Locale.ROOT, "closed loop, %d in flight:%n", s.concurrency()));
        out.append(String.format(Locale.ROOT, "  deliveries, warm-up rounds of %ds: %s /s (failed %d)%n",
                ROUND.toSeconds(), report.warmUp().stream()
                        .map(r -> String.format(Locale.ROOT, "%.0f", r.rate().perSecond()))
                        .collect(Collectors.joining(" ")), report.failedWarmUp()));
        out.append(String.format(Locale.ROOT, "    CPU per delivery, last round: %s%n",
                report.capacity().cpuPerRequest()));
        out.append(String.format(Locale.ROOT, "  trivial endpoint /q/health/live, best of %d: %.0f /s%n",
                CEILING_ROUNDS, report.ceiling().rate().perSecond()));
        out.append(String.format(Locale.ROOT, "    CPU per request: %s%n%n", report.ceiling().cpuPerRequest()));
        out.append(String.format(Locale.ROOT, "open loop:%n%-22s %9s %10s %8s %8s %8s %8s %8s %7s %6s%n", "phase",
                "target/s", "accepted/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "non2xx", "errors"));
        for (Result phase : report.phases()) {
            Histogram h = phase.latency();
            out.append(String.format(Locale.ROOT, "%-22s %9.0f %10.0f %8.2f %8.2f %8.2f %8.2f %8.2f %7d %6d%n",
                    phase.name(), phase.targetRate(), phase.achievedRate(), ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                    ms(h.getMaxValue()), phase.non2xx(), phase.errors()));
        }
        out.append(String.format(Locale.ROOT, "%nlongest latency (ms) of the requests due in each 5 s:%n"));
        for (Result phase : report.phases()) {
            out.append(String.format(Locale.ROOT, "%-22s %s%n", phase.name(), worstByFiveSeconds(phase)));
        }
        Result full = report.phase(FULL);
        out.append(String.format(Locale.ROOT, "%nwarm closed-loop deliveries / trivial ceiling: %.2f%n",
                report.capacity().rate().perSecond() / report.ceiling().rate().perSecond()));
        out.append(String.format(Locale.ROOT, "full rate accepted / trivial ceiling: %.2f%n",
                full.achievedRate() / report.ceiling().rate().perSecond()));
        report.phases().stream().filter(p -> p.name().equals(FULL_PREFILLED)).findFirst().ifPresent(prefilled ->
                out.append(String.format(Locale.ROOT, "prefilled / empty accepted rate: %.3f%n",
                        prefilled.achievedRate() / full.achievedRate())));
        out.append(String.format(Locale.ROOT, "Postgres during the full-rate phase: %s%n", report.fullRateCost()
                .describe(full.ok(), full.elapsed().toMillis() / 1000.0)));
        out.append(String.format(Locale.ROOT, "accepted %d, on Kafka %d: %s%n", report.accepted(), report.onKafka(),
                report.allPublished() ? "every accepted event was published" : "MISMATCH"));
        return out.toString();
    }

    private static String worstByFiveSeconds(Result phase) {
        StringBuilder out = new StringBuilder();
        for (int from = 0; from < phase.worstBySecond().length(); from += 5) {
            long worst = 0;
            for (int second = from; second < Math.min(from + 5, phase.worstBySecond().length()); second++) {
                worst = Math.max(worst, phase.worstBySecond().get(second));
            }
            out.append(String.format(Locale.ROOT, "%.0f ", ms(worst)));
        }
        return out.toString().trim();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
