package io.webhookingest.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
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
 * the accepted rate and latency of deliveries at the target rate, the latency at half of it, the target rate again
 * with events already stored, and once more while retention expires a backlog of aged events. In soak mode it runs
 * the target rate for the whole duration instead, in windows, with a retention of minutes, and reports each window's
 * latency and the storage's size. Throughout, every event id an answer accepted is checked off against the records on
 * Kafka. Settings are system properties, see {@link Settings}.
 * <p>
 * Run with {@code ./mvnw -Pbench verify -DskipTests} (see the README).
 */
public final class Benchmark {

    /**
     * @param rate         deliveries per second at full rate ({@code bench.rate})
     * @param duration     how long the full-rate phases last, or the whole soak ({@code bench.duration}: seconds, or
     *                     a number with {@code s}, {@code m} or {@code h})
     * @param warmup       how long deliveries are sent closed loop before anything is measured open loop
     *                     ({@code bench.warmup}, as the duration, in rounds of up to ten seconds)
     * @param prefill      events stored before the prefilled phase ({@code bench.prefill}; 0 skips it)
     * @param aged         aged events retention expires during the last phase ({@code bench.aged}; 0 skips it)
     * @param soak         run the soak instead of the phases ({@code bench.soak})
     * @param connections  connections the open-loop generator may open ({@code bench.connections})
     * @param concurrency  requests kept in flight by the closed-loop runs ({@code bench.concurrency})
     * @param kafka        an existing broker to use instead of starting one ({@code bench.kafka})
     * @param appJvm       the application's JVM options ({@code bench.app-jvm})
     * @param appJava      the {@code java} command the application runs on ({@code bench.app-java}; by default
     *                     the benchmark's own)
     * @param appWarmUp    the application's {@code ingest.warm-up.duration} ({@code bench.app-warm-up}; empty: its
     *                     default)
     */
    record Settings(double rate, Duration duration, Duration warmup, long prefill, long aged, boolean soak,
            int connections, int concurrency, String kafka, List<String> appJvm, String appJava, String appWarmUp) {

        Settings {
            if (rate <= 0 || duration.isNegative() || duration.isZero() || warmup.isNegative() || warmup.isZero()
                    || connections <= 0 || concurrency <= 0 || prefill < 0 || aged < 0) {
                throw new IllegalArgumentException("bench.rate, bench.duration, bench.warmup, bench.connections and"
                        + " bench.concurrency must be positive, bench.prefill and bench.aged not negative");
            }
        }

        static Settings fromSystemProperties() {
            return new Settings(Double.parseDouble(System.getProperty("bench.rate", "10000")),
                    duration(System.getProperty("bench.duration", "60")),
                    duration(System.getProperty("bench.warmup", "60")),
                    Long.parseLong(System.getProperty("bench.prefill", "1000000")),
                    Long.parseLong(System.getProperty("bench.aged", "2400000")),
                    Boolean.parseBoolean(System.getProperty("bench.soak", "false")),
                    Integer.parseInt(System.getProperty("bench.connections", "256")),
                    Integer.parseInt(System.getProperty("bench.concurrency", "128")),
                    System.getProperty("bench.kafka", ""),
                    Arrays.asList(System.getProperty("bench.app-jvm", "-Xms1g -Xmx1g -XX:+UseParallelGC").split(" ")),
                    System.getProperty("bench.app-java", "").isBlank() ? AppProcess.currentJava()
                            : System.getProperty("bench.app-java"),
                    System.getProperty("bench.app-warm-up", "").trim());
        }

        /** {@code 90} (seconds), {@code 90s}, {@code 30m} or {@code 4h}. */
        static Duration duration(String value) {
            Matcher matcher = DURATION.matcher(value.trim());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("Not a duration: " + value + " (try 90, 90s, 30m or 4h)");
            }
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
    }

    /**
     * Everything one run measured.
     *
     * @param warmUp   the closed-loop delivery rounds, in order; the last one is the warm capacity
     * @param ceiling  the best of the trivial endpoint's closed-loop rounds, measured before the last warm-up round
     * @param redeliveries the closed-loop rounds with and without redeliveries, if the prefilled phase ran
     * @param expiry   what retention expired during the last phase, if it ran
     * @param soak     the soak's windows, in order, if it ran
     * @param missing  ids an answer accepted that were not on Kafka by the end
     */
    record Report(Settings settings, List<Round> warmUp, Round ceiling, List<Result> phases,
            Redeliveries redeliveries, Expiry expiry,
            StorageSizes soakStart, List<Window> soak, long acceptedIds, List<UUID> missing, long seenUnaccepted,
            DatabaseCost fullRateCost) {

        Result phase(String name) {
            return phases.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }

        Round capacity() {
            return warmUp.get(warmUp.size() - 1);
        }

        /**
         * The deliveries accepted in each second of the warm-up, from the first one, sent once the application was
         * ready; the trivial endpoint's rounds before the last warm-up round are left out.
         */
        List<Long> warmUpCurve() {
            return warmUp.stream().flatMap(round -> round.rate().okEachSecond().stream()).toList();
        }

        /** The seconds of warm-up before the first second at {@code share} of the warm capacity; -1 if none was. */
        int secondsToReach(double share) {
            List<Long> curve = warmUpCurve();
            double threshold = share * capacity().rate().perSecond();
            for (int second = 0; second < curve.size(); second++) {
                if (curve.get(second) >= threshold) {
                    return second;
                }
            }
            return -1;
        }

        long failedWarmUp() {
            return warmUp.stream().mapToLong(round -> round.rate().failed()).sum();
        }

        boolean allPublished() {
            return missing.isEmpty();
        }

        boolean passed() {
            return allPublished() && (expiry == null || expiry.keptAll());
        }
    }

    /** One closed-loop round and the CPU each party used during it. */
    record Round(Rate rate, CpuTime cpu) {

        static Round measure(CpuTime.Parties parties, Callable<Rate> round) throws Exception {
            CpuTime before = parties.read();
            Rate rate = round.call();
            return new Round(rate, parties.read().since(before));
        }

        String cpuPerRequest() {
            return cpu.perRequest(rate.ok());
        }
    }

    /**
     * What retention did during the expiring phase: the aged backlog, the maintenance run that expired it (how long
     * it took and the longest it held the event table's lock, as the service's admin API answered it), and the aged
     * events left, which must be exactly the kept ones.
     */
    record Expiry(BackdatedEvents.Aged aged, Duration took, int partitionsDropped, Duration longestLock, long left) {

        long expired() {
            return aged.events() - left;
        }

        double expiredPerSecond() {
            return expired() / (Math.max(1, took.toMillis()) / 1000.0);
        }

        boolean keptAll() {
            return left == aged.kept();
        }
    }

    /**
     * Closed-loop rounds, alternating, of all-new deliveries and of deliveries half of which are redeliveries of
     * events stored earlier in the run (spread over all of them), on the table the prefilled phase left.
     * {@code duplicates}: the answers that named an event stored before, as every redelivery's must.
     */
    record Redeliveries(List<Round> allNew, List<Round> halfRedelivered, long duplicates) {

        double rateRatio() {
            return perSecond(halfRedelivered) / perSecond(allNew);
        }

        /** Postgres CPU per new event, in nanoseconds. */
        double postgresPerNew() {
            return postgresPerRequest(allNew);
        }

        /** Postgres CPU per redelivery: what a half-redelivered request costs beyond half a new one, twice. */
        double postgresPerRedelivery() {
            return 2 * postgresPerRequest(halfRedelivered) - postgresPerNew();
        }

        private static double perSecond(List<Round> rounds) {
            return rounds.stream().mapToDouble(round -> round.rate().perSecond()).average().orElse(0);
        }

        private static double postgresPerRequest(List<Round> rounds) {
            return (double) rounds.stream().mapToLong(round -> round.cpu().postgresNanos()).sum()
                    / Math.max(1, rounds.stream().mapToLong(round -> round.rate().ok()).sum());
        }
    }

    /** One window of the soak: its load, and the storage's size at its end. */
    record Window(Result load, StorageSizes sizes) {
    }

    static final String FULL = "full rate";
    static final String HALF = "half rate";
    static final String FULL_PREFILLED = "full rate, prefilled";
    static final String FULL_EXPIRING = "full rate, expiring";
    static final Duration ROUND = Duration.ofSeconds(10);
    /** How long the generator warms its own code up before the application starts, at most the warm-up's length. */
    static final Duration GENERATOR_WARM_UP = Duration.ofSeconds(20);
    static final int CEILING_ROUNDS = 4;
    /** Records the broker's warm-up keeps unacknowledged at once: a relay round's worth. */
    static final int BROKER_WARM_UP_IN_FLIGHT = 1000;
    static final Duration AGE = Duration.ofDays(35);
    static final Duration SETTLE = Duration.ofSeconds(10);
    /** Pairs of rounds, all new then half redelivered, in the redeliveries phase. */
    static final int REDELIVERY_PAIRS = 2;
    /** Spreads redeliveries over every stored delivery: a stride coprime to any count, so no two repeat early. */
    static final long REDELIVERY_STRIDE = 0x9E3779B97F4A7C15L;
    static final String DUPLICATE_ANSWER = "{\"status\":\"duplicate\"";
    static final Duration SOAK_WINDOW = Duration.ofMinutes(5);
    static final Duration ALL_SEEN_TIMEOUT = Duration.ofMinutes(3);
    static final Duration APP_EXIT = Duration.ofMinutes(3);
    /** The warm-up target: this share of the warm rate within 15 s of readiness; the curve shown is this long. */
    static final double WARM_SHARE = 0.8;
    static final int WARM_UP_CURVE = 60;
    /** The soak's storage settings: minutes rather than days, so that a run of an hour sees retention many times. */
    static final Map<String, String> SOAK_STORAGE = Map.of("ingest.retention", "5m", "ingest.partition-span", "1m",
            "ingest.retention-interval", "20s");
    static final String ADMIN_TOKEN = "benchmark-admin-token-0123456789abcdef";

    private static final Pattern DURATION = Pattern.compile("(\\d+)([smh]?)");

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        Arrays.stream(root.getHandlers()).forEach(handler -> handler.setLevel(Level.WARNING));
        Report report = run(Settings.fromSystemProperties());
        // The report is this command's output, a table to read or paste, not a log line; logging stays at WARN.
        System.out.println(render(report));
        System.exit(report.passed() ? 0 : 1);
    }

    static Report run(Settings settings) throws Exception {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        Set<Long> threadsBeforeBroker = CpuTime.Parties.liveThreads();
        EmbeddedKafka embedded = settings.kafka().isEmpty() ? EmbeddedKafka.start() : null;
        long[] brokerThreads = CpuTime.Parties.startedSince(threadsBeforeBroker);
        String bootstrap = embedded != null ? embedded.bootstrapServers() : settings.kafka();
        Vertx vertx = Vertx.vertx();
        try (TestDatabase database = TestDatabase.create()) {
            SignedDeliveries deliveries = new SignedDeliveries(runId);
            Map<String, String> config = new HashMap<>(deliveries.sourceConfig());
            config.put("kafka.bootstrap.servers", bootstrap);
            config.put("quarkus.datasource.reactive.url", database.reactiveUrl());
            config.put("ingest.admin.token", ADMIN_TOKEN);
            // Blank: the application's default.
            config.put("ingest.warm-up.duration", settings.appWarmUp());
            if (settings.soak()) {
                config.putAll(SOAK_STORAGE);
            } else {
                // The expiring phase runs the maintenance itself, at a known moment; nothing else runs it.
                config.put("ingest.retention-interval", "1h");
            }
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(Math.max(settings.connections(), settings.concurrency())));
            Duration warming = min(GENERATOR_WARM_UP, settings.warmup());
            CompletableFuture<Void> broker = CompletableFuture.runAsync(() -> warmBroker(bootstrap,
                    "bench." + runId + ".broker-warm-up", warming));
            warmGenerator(vertx, client, settings.concurrency(), warming);
            broker.get(ALL_SEEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            int port = AppProcess.freePort();
            try (AppProcess app = AppProcess.start("benchmark", port, config, Map.of(), settings.appJava(),
                    settings.appJvm());
                 PublicationLedger ledger = new PublicationLedger(bootstrap, deliveries.topics())) {
                maintain(app);
                CpuTime.Parties parties = new CpuTime.Parties(app.handle(), brokerThreads);
                AtomicLong sequence = new AtomicLong();
                Supplier<RequestSpec> webhook = () -> request(deliveries, port, sequence.getAndIncrement());
                List<Round> warmUp = new ArrayList<>();
                Round ceiling = null;
                long warmupMillis = settings.warmup().toMillis();
                for (long done = 0; done < warmupMillis; done += ROUND.toMillis()) {
                    boolean lastRound = done + ROUND.toMillis() >= warmupMillis;
                    if (lastRound) {
                        // Between warm-up rounds, so that the deliveries that follow run on code warmed for them.
                        ceiling = ceiling(vertx, client, app, parties, settings.concurrency());
                    }
                    Duration round = Duration.ofMillis(Math.min(ROUND.toMillis(), warmupMillis - done));
                    warmUp.add(Round.measure(parties, () -> ClosedLoop.run(vertx, client, webhook,
                            ledger::accepted, settings.concurrency(), round)));
                }
                // The open-loop sender's own code warms up too, at a rate where its slow start cannot queue.
                OpenLoopLoad.run(vertx, client, "open-loop warm-up", settings.rate() / 2, ROUND, webhook,
                        ledger::accepted);
                ledger.awaitAllSeen(ALL_SEEN_TIMEOUT);
                List<Result> phases = new ArrayList<>();
                List<Window> soak = new ArrayList<>();
                StorageSizes soakStart = null;
                DatabaseCost fullRateCost = null;
                Redeliveries redeliveries = null;
                Expiry expiry = null;
                if (settings.soak()) {
                    soakStart = StorageSizes.of(database);
                    Duration elapsed = Duration.ZERO;
                    while (elapsed.compareTo(settings.duration()) < 0) {
                        Duration window = min(SOAK_WINDOW, settings.duration().minus(elapsed));
                        String name = String.format(Locale.ROOT, "%d-%d min", elapsed.toMinutes(),
                                elapsed.plus(window).toMinutes());
                        Result load = OpenLoopLoad.run(vertx, client, name, settings.rate(), window, webhook,
                                ledger::accepted);
                        soak.add(new Window(load, StorageSizes.of(database)));
                        elapsed = elapsed.plus(window);
                    }
                } else {
                    for (String phase : List.of(FULL, HALF)) {
                        double rate = phase.equals(FULL) ? settings.rate() : settings.rate() / 2;
                        Duration duration = phase.equals(FULL) ? settings.duration() : settings.duration().dividedBy(2);
                        DatabaseCost before = DatabaseCost.of(database);
                        phases.add(OpenLoopLoad.run(vertx, client, phase, rate, duration, webhook, ledger::accepted));
                        ledger.awaitAllSeen(ALL_SEEN_TIMEOUT);
                        if (phase.equals(FULL)) {
                            fullRateCost = DatabaseCost.of(database).since(before);
                        }
                    }
                    // The aged backlog is stored before the prefilled phase, so that it and the expiring phase
                    // that follows it run on the same tables, but for what retention takes away during the latter.
                    BackdatedEvents.Aged aged = settings.aged() > 0
                            ? BackdatedEvents.age(database, settings.aged(), AGE, deliveries.topic("hubject")) : null;
                    if (settings.prefill() > 0) {
                        BackdatedEvents.prefill(database, settings.prefill(), deliveries.topic("hubject"));
                        // The first writes after the prefill's checkpoint log whole pages; that burst is the
                        // prefill's, not the phase's, and the expiring phase it is compared with has none.
                        OpenLoopLoad.run(vertx, client, "settling after the prefill", settings.rate(), SETTLE,
                                webhook, ledger::accepted);
                        phases.add(OpenLoopLoad.run(vertx, client, FULL_PREFILLED, settings.rate(),
                                settings.duration(), webhook, ledger::accepted));
                        ledger.awaitAllSeen(ALL_SEEN_TIMEOUT);
                    }
                    if (aged != null) {
                        expiry = expiring(vertx, client, app, database, aged, settings, webhook, ledger, phases);
                    }
                    if (settings.prefill() > 0) {
                        redeliveries = redeliveries(vertx, client, parties, settings, webhook,
                                halfRedelivered(deliveries, port, sequence), ledger);
                    }
                }
                List<UUID> missing = ledger.awaitAllSeen(ALL_SEEN_TIMEOUT);
                // A JVM that writes an AOT cache at exit (-XX:AOTCacheOutput) takes a while to assemble it.
                app.stop(APP_EXIT);
                return new Report(settings, warmUp, ceiling, phases, redeliveries, expiry, soakStart, soak,
                        ledger.accepted(), missing, ledger.seenUnaccepted(), fullRateCost);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /**
     * Warms the generator's own code (signing, sending, reading answers) before the application starts, against a
     * stand-in in this JVM that answers every delivery as the application does: senders on the internet are warm
     * when an instance starts, so the warm-up curve measures the application's warm-up, not also the generator's.
     */
    private static void warmGenerator(Vertx vertx, HttpClient client, int concurrency, Duration duration)
            throws Exception {
        byte[] receipt = ("{\"status\":\"accepted\",\"events\":[{\"id\":\"" + UUID.randomUUID()
                + "\",\"status\":\"accepted\"}]}").getBytes(StandardCharsets.UTF_8);
        HttpServer standIn = vertx.createHttpServer().requestHandler(request -> request.body().onComplete(read ->
                request.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(receipt))))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            SignedDeliveries unsent = new SignedDeliveries("generator-warm-up");
            AtomicLong sequence = new AtomicLong();
            ClosedLoop.run(vertx, client, () -> request(unsent, standIn.actualPort(), sequence.getAndIncrement()),
                    answer -> { }, concurrency, duration);
        } finally {
            standIn.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Warms the broker's code, and the ledger's consumer, before the application starts, with records like the
     * relay's (its producer settings, CloudEvent-sized values) sent as fast as they are acknowledged: the broker of a
     * deployment has run for long when an instance starts, so the warm-up curve is the application's alone, not also
     * the freshly started broker's and ledger's.
     */
    private static void warmBroker(String bootstrap, String topic, Duration duration) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "25");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        Semaphore inFlight = new Semaphore(BROKER_WARM_UP_IN_FLIGHT);
        try (PublicationLedger ledger = new PublicationLedger(bootstrap, List.of(topic));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            long endsAt = System.nanoTime() + duration.toNanos();
            for (long n = 0; System.nanoTime() - endsAt < 0; n++) {
                UUID id = UUID.randomUUID();
                byte[] value = ("{\"id\":\"" + id + "\",\"type\":\"oem.contract.created\",\"n\":" + n + "}")
                        .getBytes(StandardCharsets.UTF_8);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                        ("subject-" + n % 1000).getBytes(StandardCharsets.UTF_8), value);
                record.headers().add("ce_id", id.toString().getBytes(StandardCharsets.US_ASCII));
                inFlight.acquire();
                producer.send(record, (metadata, failure) -> {
                    inFlight.release();
                    if (failure == null) {
                        ledger.accepted(Buffer.buffer(value));
                    }
                });
            }
            producer.flush();
            ledger.awaitAllSeen(ALL_SEEN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static RequestSpec request(SignedDeliveries deliveries, int port, long n) {
        Delivery delivery = deliveries.delivery(n);
        return RequestSpec.post(port, delivery.path(), delivery.headers(), delivery.body());
    }

    /**
     * Every other request a new delivery, the others a redelivery (signed anew) of one of the deliveries the run made
     * before, picked across all of them so that the lookups reach the whole table and not only its hot end.
     */
    private static Supplier<RequestSpec> halfRedelivered(SignedDeliveries deliveries, int port, AtomicLong sequence) {
        long before = sequence.get();
        AtomicLong made = new AtomicLong();
        return () -> {
            long k = made.getAndIncrement();
            return request(deliveries, port, k % 2 == 0 ? sequence.getAndIncrement()
                    : Math.floorMod(k * REDELIVERY_STRIDE, before));
        };
    }

    private static Redeliveries redeliveries(Vertx vertx, HttpClient client, CpuTime.Parties parties,
            Settings settings, Supplier<RequestSpec> allNew, Supplier<RequestSpec> halfRedelivered,
            PublicationLedger ledger) throws Exception {
        List<Round> fresh = new ArrayList<>();
        List<Round> mixed = new ArrayList<>();
        AtomicLong duplicates = new AtomicLong();
        // A duplicate names an event published long ago, which the ledger has matched already.
        Consumer<Buffer> answered = answer -> {
            if (answer.toString(StandardCharsets.UTF_8).startsWith(DUPLICATE_ANSWER)) {
                duplicates.incrementAndGet();
            } else {
                ledger.accepted(answer);
            }
        };
        Duration round = min(ROUND, settings.duration());
        for (int pair = 0; pair < REDELIVERY_PAIRS; pair++) {
            fresh.add(Round.measure(parties, () -> ClosedLoop.run(vertx, client, allNew, ledger::accepted,
                    settings.concurrency(), round)));
            mixed.add(Round.measure(parties, () -> ClosedLoop.run(vertx, client, halfRedelivered, answered,
                    settings.concurrency(), round)));
        }
        ledger.awaitAllSeen(ALL_SEEN_TIMEOUT);
        return new Redeliveries(fresh, mixed, duplicates.get());
    }

    /**
     * Runs the full rate while, a quarter of the way in, retention expires the aged backlog (the service's own
     * maintenance, started through its admin API).
     */
    private static Expiry expiring(Vertx vertx, HttpClient client, AppProcess app, TestDatabase database,
            BackdatedEvents.Aged aged, Settings settings, Supplier<RequestSpec> webhook, PublicationLedger ledger,
            List<Result> phases) throws Exception {
        CompletableFuture<Maintenance> maintenance = CompletableFuture.supplyAsync(() -> maintain(app),
                CompletableFuture.delayedExecutor(settings.duration().toMillis() / 4, TimeUnit.MILLISECONDS));
        phases.add(OpenLoopLoad.run(vertx, client, FULL_EXPIRING, settings.rate(), settings.duration(), webhook,
                ledger::accepted));
        ledger.awaitAllSeen(ALL_SEEN_TIMEOUT);
        Maintenance run = maintenance.get(1, TimeUnit.MINUTES);
        return new Expiry(aged, run.took(), run.partitionsDropped(), run.longestLock(),
                BackdatedEvents.storedBefore(database, aged.newest(), false));
    }

    /** One run of the service's storage maintenance, as its admin API answered it. */
    record Maintenance(Duration took, int partitionsDropped, Duration longestLock) {
    }

    private static Maintenance maintain(AppProcess app) {
        try {
            HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(app.managementUri("/admin/maintenance")).timeout(Duration.ofMinutes(5))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("The maintenance answered " + answer.statusCode() + ": "
                        + answer.body());
            }
            JsonPath outcome = new JsonPath(answer.body());
            return new Maintenance(Duration.ofMillis(outcome.getLong("tookMillis")),
                    outcome.getList("partitionsDropped").size(),
                    Duration.ofMillis(outcome.getLong("longestLockMillis")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The best of several closed-loop rounds on the trivial endpoint. */
    private static Round ceiling(Vertx vertx, HttpClient client, AppProcess app, CpuTime.Parties parties,
            int concurrency) throws Exception {
        Round best = null;
        for (int i = 0; i < CEILING_ROUNDS; i++) {
            Round round = Round.measure(parties, () -> ClosedLoop.run(vertx, client,
                    () -> RequestSpec.get(app.managementPort(), "/q/health/live"), answer -> { }, concurrency,
                    ROUND.dividedBy(2)));
            best = best == null || round.rate().perSecond() > best.rate().perSecond() ? round : best;
        }
        return best;
    }

    static String render(Report report) {
        StringBuilder out = new StringBuilder();
        Settings s = report.settings();
        out.append(String.format(Locale.ROOT, "%nwebhook-ingest benchmark: %d cores, target %.0f/s for %s%s, app JVM %s"
                + " %s%n%n", Runtime.getRuntime().availableProcessors(), s.rate(), s.duration(), s.soak() ? " (soak)"
                        : String.format(Locale.ROOT, ", prefill %d, aged %d", s.prefill(), s.aged()),
                s.appJava(), String.join(" ", s.appJvm())));
        out.append(String.format(Locale.ROOT, "closed loop, %d in flight:%n", s.concurrency()));
        out.append(String.format(Locale.ROOT, "  deliveries, warm-up rounds of %ds: %s /s (failed %d)%n",
                ROUND.toSeconds(), rates(report.warmUp()), report.failedWarmUp()));
        out.append(String.format(Locale.ROOT, "    CPU per delivery, last round: %s%n",
                report.capacity().cpuPerRequest()));
        List<Long> curve = report.warmUpCurve();
        out.append(String.format(Locale.ROOT, "    accepted in each second of the first %d s from readiness: %s%n",
                Math.min(curve.size(), WARM_UP_CURVE), curve.stream().limit(WARM_UP_CURVE).map(String::valueOf)
                        .collect(Collectors.joining(" "))));
        int reached = report.secondsToReach(WARM_SHARE);
        out.append(String.format(Locale.ROOT, "    %.0f %% of the warm rate (%.0f/s) first reached after %s%n",
                WARM_SHARE * 100, WARM_SHARE * report.capacity().rate().perSecond(),
                reached < 0 ? "no second of the warm-up" : reached + " s"));
        out.append(String.format(Locale.ROOT, "  trivial endpoint /q/health/live, best of %d: %.0f /s%n",
                CEILING_ROUNDS, report.ceiling().rate().perSecond()));
        out.append(String.format(Locale.ROOT, "    CPU per request: %s%n%n", report.ceiling().cpuPerRequest()));
        List<Result> loads = report.soak().isEmpty() ? report.phases()
                : report.soak().stream().map(Window::load).toList();
        out.append(String.format(Locale.ROOT, "open loop%s:%n%-22s %9s %10s %8s %8s %8s %8s %8s %7s %6s%n",
                report.soak().isEmpty() ? "" : ", soak with " + SOAK_STORAGE, "phase", "target/s", "accepted/s",
                "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "non2xx", "errors"));
        for (Result phase : loads) {
            Histogram h = phase.latency();
            out.append(String.format(Locale.ROOT, "%-22s %9.0f %10.0f %8.2f %8.2f %8.2f %8.2f %8.2f %7d %6d%n",
                    phase.name(), phase.targetRate(), phase.achievedRate(), ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                    ms(h.getMaxValue()), phase.non2xx(), phase.errors()));
        }
        if (!report.soak().isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nstorage at the start: %s%n", report.soakStart().describe()));
            for (Window window : report.soak()) {
                out.append(String.format(Locale.ROOT, "after %-16s %s%n", window.load().name() + ":",
                        window.sizes().describe()));
            }
        } else {
            out.append(String.format(Locale.ROOT, "%np99 / longest latency (ms) of the requests due in each %d s,"
                    + " from the phase's start (UTC):%n", OpenLoopLoad.WINDOW.toSeconds()));
            for (Result phase : report.phases()) {
                out.append(String.format(Locale.ROOT, "%-22s %s  %s%n", phase.name(),
                        DateTimeFormatter.ISO_LOCAL_TIME.format(phase.started().atOffset(ZoneOffset.UTC)
                                .toLocalTime().withNano(0)), byWindow(phase)));
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
        }
        Redeliveries redeliveries = report.redeliveries();
        if (redeliveries != null) {
            out.append(String.format(Locale.ROOT, "redeliveries, closed loop after the phases above, alternate"
                    + " rounds: all new %s /s, half redeliveries %s /s (%.2f x); Postgres CPU per new event %.0f µs,"
                    + " per redelivery %.0f µs (%d answered as duplicates)%n", rates(redeliveries.allNew()),
                    rates(redeliveries.halfRedelivered()), redeliveries.rateRatio(),
                    redeliveries.postgresPerNew() / 1e3, redeliveries.postgresPerRedelivery() / 1e3,
                    redeliveries.duplicates()));
        }
        Expiry expiry = report.expiry();
        if (expiry != null) {
            Result expiring = report.phase(FULL_EXPIRING);
            out.append(String.format(Locale.ROOT, "retention during \"%s\": %d aged events, %d expired in %d ms"
                    + " (%d partitions dropped, the event table locked for at most %d ms): %.0f expired/s next to"
                    + " %.0f accepted/s (%.0f x); %d left of %d kept (failed or quarantined): %s%n", FULL_EXPIRING,
                    expiry.aged().events(), expiry.expired(), expiry.took().toMillis(), expiry.partitionsDropped(),
                    expiry.longestLock().toMillis(), expiry.expiredPerSecond(),
                    expiring.achievedRate(), expiry.expiredPerSecond() / expiring.achievedRate(), expiry.left(),
                    expiry.aged().kept(), expiry.keptAll() ? "all kept, nothing else left" : "MISMATCH"));
            report.phases().stream().filter(p -> p.name().equals(FULL_PREFILLED)).findFirst().ifPresent(prefilled ->
                    out.append(String.format(Locale.ROOT, "p99 expiring / prefilled: %.2f%n",
                            (double) expiring.latency().getValueAtPercentile(99)
                                    / prefilled.latency().getValueAtPercentile(99))));
        }
        out.append(String.format(Locale.ROOT, "accepted %d event ids; %s; records on Kafka that no 2xx named"
                + " (duplicates, or answers not received): %d%n", report.acceptedIds(), report.allPublished()
                        ? "every one of them is on Kafka"
                        : "MISSING from Kafka: " + report.missing().size() + ", e.g. "
                                + report.missing().subList(0, Math.min(5, report.missing().size())),
                report.seenUnaccepted()));
        return out.toString();
    }

    private static String rates(List<Round> rounds) {
        return rounds.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.rate().perSecond()))
                .collect(Collectors.joining(" "));
    }

    private static String byWindow(Result phase) {
        return phase.byWindow().stream().map(window -> String.format(Locale.ROOT, "%.0f/%.0f",
                ms(window.getValueAtPercentile(99)), ms(window.getMaxValue()))).collect(Collectors.joining(" "));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
