package io.webhookingest.source;

import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import javax.crypto.Mac;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.webhookingest.config.ContentMode;
import io.webhookingest.config.DemoSecrets;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.extract.EventExtractor;
import io.webhookingest.extract.EventOverrides;
import io.webhookingest.extract.FieldLimits;
import io.webhookingest.extract.FieldSelector;
import io.webhookingest.verify.ContentTemplate;
import io.webhookingest.verify.HmacScheme;
import io.webhookingest.verify.MacAlgorithms;
import io.webhookingest.verify.Rejection;
import io.webhookingest.verify.SignatureVerifier;
import io.webhookingest.verify.TimestampWindow;
import io.webhookingest.verify.Verdict;

/**
 * The sources deliveries are taken for: those in configuration, built once at startup, and those managed through the
 * admin API, rebuilt on every instance when they change ({@link SourceChanges}). A configuration mistake (unknown
 * provider, bad selector, unusable secret or algorithm) stops the application with a message naming the key, instead
 * of surfacing as rejected deliveries later; a managed source is checked by the same code before it is stored.
 * Messages never contain a secret. A delivery keeps the {@link Source} it found for its whole way, so a change never
 * affects one in flight.
 */
@Startup
@Singleton
public class SourceRegistry {

    private static final Logger LOG = Logger.getLogger(SourceRegistry.class);
    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Duration INITIAL_LOAD_TIMEOUT = Duration.ofSeconds(30);
    /** A rehearsal's source name is this and random hex, so that nobody outside can guess it. */
    private static final String REHEARSAL_PREFIX = "warm-up-";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A managed source as this instance holds it.
     *
     * @param stored    the row it was built from
     * @param secrets   the plain secrets, index-aligned with the row's; empty where one cannot be opened
     * @param source    what deliveries use; empty when its settings or secrets do not make a source
     * @param problems  why it cannot take deliveries, or which secrets it cannot use
     * @param rebuildAt when its next live secret passes its {@code notAfter}
     */
    public record Managed(SourceStore.ManagedSource stored, List<Optional<String>> secrets, Optional<Source> source,
            List<String> problems, Instant rebuildAt) {

        @Override
        public String toString() {
            return "Managed[" + stored.name() + " revision " + stored.revision() + ", " + secrets.size()
                    + " secret(s)]";
        }
    }

    private final IngestConfig ingest;
    private final Clock clock;
    private final SecretCipher cipher;
    private final SourceStore store;
    private final Map<String, Source> configured;
    private volatile Map<String, Managed> managed = Map.of();
    private volatile Map<String, Source> rehearsals = Map.of();
    private final AtomicLong loads = new AtomicLong();
    private long appliedLoad;

    SourceRegistry(IngestConfig config, Clock clock, SecretCipher cipher, SourceStore store) {
        this.ingest = config;
        this.clock = clock;
        this.cipher = cipher;
        this.store = store;
        Map<String, Source> built = new TreeMap<>();
        config.sources().forEach((name, source) -> {
            List<String> secrets = source.secrets().orElse(List.of()).stream().filter(s -> !s.isBlank()).toList();
            built.put(name, build(name, source, secrets, configuredFingerprints(secrets), false));
        });
        this.configured = Map.copyOf(built);
        configured.values().forEach(source -> LOG.info(summary(source)));
    }

    /**
     * Loads the managed sources before the application reports itself started. Never on an event loop: the beans
     * that take deliveries may be built on one, so the constructor cannot wait for the database.
     */
    void loadAtStartup() {
        reload().await().atMost(INITIAL_LOAD_TIMEOUT);
        if (configured.isEmpty() && managed.isEmpty()) {
            LOG.warn("No webhook sources are configured (ingest.sources.<name>.provider) or managed (PUT"
                    + " /admin/sources/<name>); every delivery gets 404");
        }
    }

    /**
     * Opens a source an instance rehearses deliveries on while it warms up: one of {@code provider}, signed with
     * {@code secret}, under a name no configured or managed source has, found by {@link #find} and listed nowhere.
     * Its deliveries go through every stage, but are neither kept nor counted (see {@link Source#rehearsal}).
     */
    public Source openRehearsal(WebhookProvider provider, String secret) {
        byte[] random = new byte[8];
        String name;
        do {
            RANDOM.nextBytes(random);
            name = REHEARSAL_PREFIX + HexFormat.of().formatHex(random);
        } while (configured.containsKey(name) || managed.containsKey(name) || rehearsals.containsKey(name));
        // Built as a managed source is, without the warnings of a configured one: nothing of it is the operator's.
        Source source = build(name, SourceDocument.read(name, Map.of("provider", provider.configName())),
                List.of(secret), List.of(REHEARSAL_PREFIX + "secret"), true).asRehearsal();
        synchronized (this) {
            Map<String, Source> open = new HashMap<>(rehearsals);
            open.put(name, source);
            rehearsals = Map.copyOf(open);
        }
        return source;
    }

    /** Closes the rehearsal's sources: from now on their names are unknown, like any other. */
    public synchronized void closeRehearsals() {
        rehearsals = Map.of();
    }

    /** The configuration key of a source's settings, {@code ingest.sources.<name>}. */
    static String configKey(String name) {
        return "ingest.sources." + name;
    }

    public Optional<Source> find(String name) {
        Source source = configured.get(name);
        if (source != null) {
            return Optional.of(source);
        }
        Source rehearsing = rehearsals.get(name);
        if (rehearsing != null) {
            return Optional.of(rehearsing);
        }
        Managed entry = managed.get(name);
        if (entry == null || !entry.stored().enabled()) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.rebuildAt())) {
            entry = expire(name, entry);
        }
        return entry.source();
    }

    /** Every source that takes deliveries now. */
    public Collection<Source> all() {
        List<Source> all = new ArrayList<>(configured.values());
        managed.values().stream().filter(m -> m.stored().enabled()).forEach(m -> m.source().ifPresent(all::add));
        return all;
    }

    /** The sources from configuration, by name; read-only through the API. */
    public Map<String, Source> configured() {
        return configured;
    }

    /** The managed sources as this instance holds them, by name. */
    public Map<String, Managed> managed() {
        return managed;
    }

    /** Whether the source, enabled or not, still has a secret with this fingerprint. */
    public boolean holdsSecret(String name, String fingerprint) {
        Source source = configured.get(name);
        if (source != null) {
            return source.fingerprints().contains(fingerprint);
        }
        Managed entry = managed.get(name);
        return entry != null && entry.stored().secrets().stream()
                .anyMatch(secret -> secret.fingerprint().equals(fingerprint));
    }

    /** How a source's records are written; binary for one no longer known. */
    public ContentMode contentMode(String name) {
        Source source = configured.get(name);
        if (source != null) {
            return source.contentMode();
        }
        Managed entry = managed.get(name);
        return entry != null ? entry.source().map(Source::contentMode).orElse(ContentMode.BINARY) : ContentMode.BINARY;
    }

    /**
     * Checks that these settings make a source with the secrets it has now, exactly as startup would build it; throws
     * {@link IllegalArgumentException} with the reason otherwise.
     */
    public void validate(String name, Map<String, String> settings) {
        validate(name, settings, liveSecrets(name));
    }

    /** Checks that the source can take one more secret; throws {@link IllegalArgumentException} otherwise. */
    public void validateWithSecret(String name, String secret, String fingerprint) {
        Managed entry = managed.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("No managed source is named " + name);
        }
        List<LiveSecret> secrets = new ArrayList<>(liveSecrets(name));
        secrets.add(0, new LiveSecret(secret, fingerprint));
        validate(name, entry.stored().settings(), secrets);
    }

    private void validate(String name, Map<String, String> settings, List<LiveSecret> secrets) {
        try {
            build(name, SourceDocument.read(name, settings), secrets.stream().map(LiveSecret::value).toList(),
                    secrets.stream().map(LiveSecret::fingerprint).toList(), true);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A secret a source verifies with, and its fingerprint. */
    private record LiveSecret(String value, String fingerprint) {

        @Override
        public String toString() {
            return "LiveSecret[" + fingerprint + "]";
        }
    }

    /** The live secrets of a managed source, newest first. */
    private List<LiveSecret> liveSecrets(String name) {
        Managed entry = managed.get(name);
        if (entry == null) {
            return List.of();
        }
        Instant now = clock.instant();
        List<LiveSecret> live = new ArrayList<>();
        List<SourceStore.ManagedSecret> stored = entry.stored().secrets();
        for (int i = 0; i < stored.size(); i++) {
            if (entry.secrets().get(i).isPresent() && isLive(stored.get(i), now)) {
                live.add(new LiveSecret(entry.secrets().get(i).get(), stored.get(i).fingerprint()));
            }
        }
        return live;
    }

    /**
     * Reads every managed source and rebuilds those whose revision changed. Reads are numbered as they start, and one
     * is applied only if no later one was, so a slow read never puts back what a newer one replaced.
     */
    public Uni<Void> reload() {
        return Uni.createFrom().deferred(() -> {
            long load = loads.incrementAndGet();
            return store.loadAll().invoke(rows -> apply(load, rows)).replaceWithVoid();
        });
    }

    /** Builds outside the lock, which only guards the swap, so deliveries looking up a source never wait on it. */
    private void apply(long load, List<SourceStore.ManagedSource> rows) {
        Map<String, Managed> held = managed;
        Map<String, Managed> next = new TreeMap<>();
        List<Managed> rebuilt = new ArrayList<>();
        for (SourceStore.ManagedSource row : rows) {
            if (configured.containsKey(row.name())) {
                continue;
            }
            Managed current = held.get(row.name());
            if (current != null && current.stored().revision() == row.revision()) {
                next.put(row.name(), current);
            } else {
                Managed opened = open(row);
                next.put(row.name(), opened);
                rebuilt.add(opened);
            }
        }
        synchronized (this) {
            if (load <= appliedLoad) {
                return;
            }
            appliedLoad = load;
            managed.keySet().stream().filter(name -> !next.containsKey(name))
                    .forEach(name -> LOG.infof("Source %s was deleted", name));
            managed = Map.copyOf(next);
        }
        rebuilt.forEach(entry -> entry.source().ifPresent(source -> LOG.infof("%s (managed, revision %d, %s)",
                summary(source), entry.stored().revision(), entry.stored().enabled() ? "enabled" : "disabled")));
    }

    /** Opens a row's secrets (sealing again those under an earlier key) and builds its source. */
    private Managed open(SourceStore.ManagedSource row) {
        List<Optional<String>> secrets = new ArrayList<>();
        for (SourceStore.ManagedSecret secret : row.secrets()) {
            Optional<String> plain = cipher.open(row.name(), secret.fingerprint(), secret.sealed());
            secrets.add(plain);
            if (plain.isPresent() && cipher.currentKeyId().filter(id -> !id.equals(secret.sealed().keyId()))
                    .isPresent()) {
                store.reseal(row.name(), secret.fingerprint(), secret.sealed().keyId(),
                        cipher.seal(row.name(), secret.fingerprint(), plain.get())).subscribe().with(
                                done -> LOG.infof("Source %s: secret %s sealed again under the current key",
                                        row.name(), secret.fingerprint()),
                                failure -> LOG.warnf("Source %s: secret %s could not be sealed again (%s)",
                                        row.name(), secret.fingerprint(), failure.toString()));
            }
        }
        return built(row, secrets);
    }

    private Managed built(SourceStore.ManagedSource row, List<Optional<String>> secrets) {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        List<String> live = new ArrayList<>();
        List<String> fingerprints = new ArrayList<>();
        Instant rebuildAt = Instant.MAX;
        for (int i = 0; i < row.secrets().size(); i++) {
            SourceStore.ManagedSecret secret = row.secrets().get(i);
            if (secrets.get(i).isEmpty()) {
                problems.add("secret " + secret.fingerprint() + " cannot be opened: its key " + secret.sealed().keyId()
                        + " is not in ingest.secrets.key or ingest.secrets.previous-keys");
            } else if (isLive(secret, now)) {
                live.add(secrets.get(i).get());
                fingerprints.add(secret.fingerprint());
                rebuildAt = secret.notAfter().filter(rebuildAt::isAfter).orElse(rebuildAt);
            }
        }
        problems.forEach(problem -> LOG.errorf("Source %s: %s", row.name(), problem));
        try {
            Source source = build(row.name(), SourceDocument.read(row.name(), row.settings()), live, fingerprints,
                    true);
            return new Managed(row, List.copyOf(secrets), Optional.of(source), List.copyOf(problems), rebuildAt);
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.errorf("Source %s cannot take deliveries: %s", row.name(), e.getMessage());
            problems.add(e.getMessage());
            return new Managed(row, List.copyOf(secrets), Optional.empty(), List.copyOf(problems), Instant.MAX);
        }
    }

    /**
     * Rebuilds a source one of whose secrets passed its {@code notAfter}, unless a reload replaced it already. The
     * build runs outside the lock: deliveries on several event loops may each build it, one swaps it in.
     */
    private Managed expire(String name, Managed entry) {
        Managed rebuilt = built(entry.stored(), entry.secrets());
        synchronized (this) {
            Managed current = managed.get(name);
            if (current != entry) {
                return current != null ? current : entry;
            }
            Map<String, Managed> next = new TreeMap<>(managed);
            next.put(name, rebuilt);
            managed = Map.copyOf(next);
        }
        LOG.infof("Source %s: a secret passed its notAfter and is no longer accepted", name);
        return rebuilt;
    }

    private static boolean isLive(SourceStore.ManagedSecret secret, Instant now) {
        return secret.notAfter().map(now::isBefore).orElse(true);
    }

    /**
     * The fingerprints of configured secrets: HMACs under the secrets key, or their position when none is
     * configured, since a fingerprint without a key would let anyone test guesses of a weak secret.
     */
    private List<String> configuredFingerprints(List<String> secrets) {
        List<String> fingerprints = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            int position = i + 1;
            fingerprints.add(cipher.fingerprint(secrets.get(i)).orElseGet(() -> "secret-" + position));
        }
        return fingerprints;
    }

    private Source build(String name, IngestConfig.SourceConfig config, List<String> secrets,
            List<String> fingerprints, boolean isManaged) {
        String key = configKey(name);
        if (!SOURCE_NAME.matcher(name).matches()) {
            throw new IllegalStateException(key + ": a source name is 1-63 lower-case letters, digits or dashes");
        }
        WebhookProvider provider = WebhookProvider.named(config.provider())
                .orElseThrow(() -> new IllegalStateException(key + ".provider: unknown provider '"
                        + config.provider() + "'; known providers are " + WebhookProvider.names()));
        if (config.timestampTolerance().isNegative()) {
            throw new IllegalStateException(key + ".timestamp-tolerance cannot be negative");
        }
        if (LaunchMode.current() == LaunchMode.NORMAL && secrets.stream().anyMatch(DemoSecrets::isDemo)) {
            throw new IllegalStateException(key + ".secrets holds a demo secret of the dev profile, which anyone can"
                    + " read in the source code; configure the secret the provider signs with");
        }
        List<String> algorithms = algorithms(key, config.signature().algorithms());
        SourceSettings settings = new SourceSettings(name, secrets,
                new TimestampWindow(config.timestampTolerance(), clock), publicUrl(key, config.publicUrl()),
                provider == WebhookProvider.HMAC ? Optional.of(hmacScheme(key, config, algorithms)) : Optional.empty(),
                algorithms);

        SignatureVerifier verifier;
        if (secrets.isEmpty()) {
            if (!isManaged) {
                LOG.warnf("Source %s has no secret (%s.secrets); it rejects every delivery", name, key);
            }
            verifier = request -> Verdict.rejected(Rejection.NO_SECRET,
                    "The source has no secret configured, so no delivery can be verified");
        } else {
            try {
                verifier = provider.verifier(settings);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(key + ": " + e.getMessage(), e);
            }
        }
        EventExtractor extractor = provider.extractor(settings);
        EventOverrides overrides = new EventOverrides(selector(key + ".id", config.id()),
                selector(key + ".type", config.type()), selector(key + ".subject", config.subject()));
        String topic = config.topic().orElse("webhooks." + name);
        Routes routes;
        try {
            routes = Routes.parse(config.routes().orElse(List.of()), topic);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + ".routes: " + e.getMessage(), e);
        }
        long maxBodySize = config.maxBodySize().orElse(ingest.maxBodySize()).asLongValue();
        if (isManaged && maxBodySize > ingest.maxBodySize().asLongValue()) {
            throw new IllegalStateException(key + ".max-body-size: a source managed through the API accepts bodies"
                    + " up to ingest.max-body-size (" + ingest.maxBodySize().asLongValue() + " bytes), the largest"
                    + " this instance's memory was sized for");
        }
        List<String> unsignedIdentityHeaders = overrides.identityHeaders(extractor).stream()
                .filter(header -> !verifier.signsHeader(header)).toList();
        if (config.id().isPresent() && !unsignedIdentityHeaders.isEmpty()) {
            LOG.warnf("%s.id reads the identity from header %s, which the %s signature does not cover: anyone"
                    + " holding one delivery can resend its body under a fresh identity. Such events are also"
                    + " deduplicated on their content's digest, so a resent body is answered as a duplicate, and so"
                    + " is a new event whose body is byte-identical to an earlier one. Sign the header (hmac:"
                    + " %s.signature.content) to rely on the identity alone", key, unsignedIdentityHeaders.get(0),
                    provider.configName(), key);
        }
        return new Source(name, provider, verifier,
                request -> FieldLimits.enforce(overrides.apply(request, extractor.extract(request))), topic,
                routes, config.contentMode(), maxBodySize, !unsignedIdentityHeaders.isEmpty(), fingerprints, false);
    }

    private static String summary(Source source) {
        return "Source " + source.name() + ": provider " + source.provider().configName() + ", "
                + source.fingerprints().size() + " secret(s), topic " + source.topic()
                + (source.routes().routes().isEmpty() ? "" : " routed by type " + source.routes().routes())
                + ", bodies up to " + source.maxBodySize() + " bytes";
    }

    private static Optional<FieldSelector> selector(String key, Optional<String> spec) {
        try {
            return spec.map(FieldSelector::parse);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> publicUrl(String key, Optional<String> configured) {
        return configured.map(url -> {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(key + ".public-url is not a URL", e);
            }
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null
                    || uri.getRawQuery() != null) {
                throw new IllegalStateException(key + ".public-url must be an absolute http(s) URL without a query");
            }
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        });
    }

    /** The allow-list, each entry an available {@code Mac}; a weak one is accepted, with a warning. */
    private static List<String> algorithms(String key, List<String> configured) {
        for (String algorithm : configured) {
            try {
                Mac.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(key + ".signature.algorithms: cannot use " + algorithm
                        + ", which is not a Mac algorithm of this JVM", e);
            }
            if (MacAlgorithms.isWeak(algorithm)) {
                LOG.warnf("%s.signature.algorithms accepts %s, which weakens the source: a signature over a broken"
                        + " hash is accepted", key, algorithm);
            }
        }
        return configured;
    }

    private static HmacScheme hmacScheme(String key, IngestConfig.SourceConfig config, List<String> algorithms) {
        IngestConfig.Signature signature = config.signature();
        String header = signature.header().orElseThrow(() -> new IllegalStateException(
                key + ".signature.header is required for provider hmac"));
        if (algorithms.stream().noneMatch(signature.algorithm()::equalsIgnoreCase)) {
            throw new IllegalStateException(key + ".signature.algorithm: " + signature.algorithm() + " is not among "
                    + key + ".signature.algorithms " + algorithms + "; list it there to accept it");
        }
        ContentTemplate content;
        try {
            content = signature.content().map(ContentTemplate::parse).orElse(ContentTemplate.BODY);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + ".signature.content: " + e.getMessage(), e);
        }
        Optional<String> timestampHeader = config.timestamp().header();
        if (timestampHeader.isPresent() && !content.signsHeader(timestampHeader.get())) {
            LOG.warnf("%s.timestamp.header is not part of %s.signature.content, so a replay can carry a fresh time",
                    key, key);
        }
        try {
            return new HmacScheme(header, signature.algorithm(), signature.encoding(), signature.prefix(), content,
                    timestampHeader, config.timestamp().unit());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + ".timestamp.unit: " + e.getMessage(), e);
        }
    }
}
