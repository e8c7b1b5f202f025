package io.webhookingest.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.webhookingest.ingest.Problem;
import io.webhookingest.source.Routes;
import io.webhookingest.source.SecretCipher;
import io.webhookingest.source.SecretUsage;
import io.webhookingest.source.Source;
import io.webhookingest.source.SourceDocument;
import io.webhookingest.source.SourceRegistry;
import io.webhookingest.source.SourceStore;
import io.webhookingest.store.Durable;

/**
 * What operators do with sources: list them with the state of their secrets, and create, replace, disable, enable and
 * delete managed ones, and add or remove their secrets. Every change is checked by the code that checks configured
 * sources at startup before anything is stored, is applied on this instance before it is answered, and reaches the
 * others through {@link io.webhookingest.source.SourceChanges}. Secrets are never part of any answer.
 */
@ApplicationScoped
public class SourceAdmin {

    static final int MAX_SECRET_LENGTH = 1024;
    private static final Logger LOG = Logger.getLogger(SourceAdmin.class);

    /** An answer: a status and a document, or a problem. */
    public sealed interface Outcome {
        record Done(int status, Object body) implements Outcome {
        }

        record Refused(Problem problem) implements Outcome {
        }
    }

    private final SourceRegistry registry;
    private final SourceStore store;
    private final SecretCipher cipher;
    private final SecretUsage usage;
    private final Vertx vertx;
    private final Clock clock;

    SourceAdmin(SourceRegistry registry, SourceStore store, SecretCipher cipher, SecretUsage usage, Vertx vertx,
            Clock clock) {
        this.registry = registry;
        this.store = store;
        this.cipher = cipher;
        this.usage = usage;
        this.vertx = vertx;
        this.clock = clock;
    }

    public Uni<Outcome> list() {
        return store.lastUses().map(uses -> {
            List<Map<String, Object>> sources = new ArrayList<>();
            registry.configured().forEach((name, source) -> sources.add(configuredView(source, uses)));
            registry.managed().forEach((name, managed) -> sources.add(managedView(managed, uses)));
            sources.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
            return new Outcome.Done(200, Map.of("sources", sources));
        });
    }

    public Uni<Outcome> get(String name) {
        return store.lastUses().map(uses -> view(name, uses).<Outcome>map(view -> new Outcome.Done(200, view))
                .orElseGet(() -> unknown(name)));
    }

    public Uni<Outcome> put(String name, JsonNode document) {
        Optional<Outcome> readOnly = readOnly(name);
        if (readOnly.isPresent()) {
            return Uni.createFrom().item(readOnly.get());
        }
        Map<String, String> settings;
        try {
            settings = SourceDocument.settings(document);
            registry.validate(name, settings);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(invalid(e.getMessage()));
        }
        return changed(name, store.put(name, settings), created -> Optional.of(created ? 201 : 200));
    }

    public Uni<Outcome> delete(String name) {
        Optional<Outcome> readOnly = readOnly(name);
        if (readOnly.isPresent()) {
            return Uni.createFrom().item(readOnly.get());
        }
        return applied(store.delete(name)).map(Applied::result).map(deleted -> deleted ? new Outcome.Done(204, null) : unknown(name));
    }

    public Uni<Outcome> enable(String name, boolean enabled) {
        Optional<Outcome> readOnly = readOnly(name);
        if (readOnly.isPresent()) {
            return Uni.createFrom().item(readOnly.get());
        }
        return changed(name, store.enable(name, enabled), found -> found ? Optional.of(200) : Optional.empty());
    }

    public Uni<Outcome> addSecret(String name, String secret, Optional<Instant> notAfter) {
        Optional<Outcome> readOnly = readOnly(name);
        if (readOnly.isPresent()) {
            return Uni.createFrom().item(readOnly.get());
        }
        if (!registry.managed().containsKey(name)) {
            return Uni.createFrom().item(unknown(name));
        }
        if (!cipher.canSeal()) {
            return Uni.createFrom().item(new Outcome.Refused(Problem.of(409, "no_secrets_key", "Secrets cannot be"
                    + " stored", "ingest.secrets.key is not configured, so secrets cannot be stored sealed")));
        }
        if (secret == null || secret.isBlank() || secret.length() > MAX_SECRET_LENGTH) {
            return Uni.createFrom().item(invalid("secret must be a non-blank string of at most " + MAX_SECRET_LENGTH
                    + " characters"));
        }
        if (notAfter.filter(time -> !time.isAfter(clock.instant())).isPresent()) {
            return Uni.createFrom().item(invalid("notAfter must be in the future"));
        }
        String fingerprint = cipher.fingerprint(secret).orElseThrow();
        try {
            registry.validateWithSecret(name, secret, fingerprint);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(invalid(e.getMessage()));
        }
        SecretCipher.Sealed sealed = cipher.seal(name, fingerprint, secret);
        return applied(store.addSecret(name, fingerprint, sealed, notAfter)).map(Applied::result).map(added -> switch (added) {
                    case ADDED -> new Outcome.Done(201, secretView(fingerprint, notAfter, clock.instant(),
                            Optional.empty()));
                    case DUPLICATE -> new Outcome.Refused(Problem.of(409, "duplicate_secret", "Duplicate secret",
                            "The source already has this secret (fingerprint " + fingerprint + ")"));
                    case NO_SOURCE -> unknown(name);
                });
    }

    public Uni<Outcome> deleteSecret(String name, String fingerprint) {
        Optional<Outcome> readOnly = readOnly(name);
        if (readOnly.isPresent()) {
            return Uni.createFrom().item(readOnly.get());
        }
        return applied(store.deleteSecret(name, fingerprint)).map(Applied::result).map(deleted -> deleted ? new Outcome.Done(204, null)
                        : new Outcome.Refused(Problem.of(404, "unknown_secret", "Unknown secret",
                                "Source " + name + " has no secret with fingerprint " + fingerprint)));
    }

    /** Stores a change, applies it here, and answers with the source as it is now; empty status means unknown. */
    private <T> Uni<Outcome> changed(String name, Uni<T> change, Function<T, Optional<Integer>> status) {
        return applied(change).flatMap(applied -> store.lastUses().onFailure().recoverWithItem(Map.of())
                .map(uses -> status.apply(applied.result()).<Outcome>map(code -> applied.here()
                        ? view(name, uses).<Outcome>map(view -> new Outcome.Done(code, view))
                                .orElseGet(() -> unknown(name))
                        : new Outcome.Done(code, notAppliedYet(name)))
                        .orElseGet(() -> unknown(name))));
    }

    /**
     * Stores a change and applies it on this instance, both to the end even when the operator's connection drops. Once
     * the change is committed it is answered as done: should this instance fail to read it back, the periodic reload
     * applies it here too, as it does on the others.
     */
    private <T> Uni<Applied<T>> applied(Uni<T> change) {
        return Durable.detached(vertx, () -> change.flatMap(done -> registry.reload()
                .map(reloaded -> new Applied<>(done, true)).onFailure().recoverWithItem(failure -> {
                    LOG.warnf("A source change is committed but could not be applied on this instance yet (%s); the"
                            + " next reload applies it", failure.toString());
                    return new Applied<>(done, false);
                })));
    }

    /** What a committed change did, and whether this instance holds it already. */
    private record Applied<T>(T result, boolean here) {
    }

    private static Map<String, Object> notAppliedYet(String name) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("origin", "api");
        view.put("applied", false);
        view.put("detail", "The change is committed; this instance could not read it back yet and applies it at its"
                + " next reload");
        return view;
    }

    private Optional<Outcome> readOnly(String name) {
        return registry.configured().containsKey(name)
                ? Optional.of(new Outcome.Refused(Problem.of(409, "configured_source", "Configured source",
                        "Source " + name + " comes from configuration (ingest.sources." + name + ".*) and is read-only"
                                + " through the API; change its configuration instead")))
                : Optional.empty();
    }

    private Optional<Map<String, Object>> view(String name, Map<String, Map<String, Instant>> uses) {
        Source configured = registry.configured().get(name);
        if (configured != null) {
            return Optional.of(configuredView(configured, uses));
        }
        return Optional.ofNullable(registry.managed().get(name)).map(managed -> managedView(managed, uses));
    }

    private Map<String, Object> configuredView(Source source, Map<String, Map<String, Instant>> uses) {
        Map<String, Object> view = describe(source.name(), "config", true, Optional.of(source));
        view.put("secrets", source.fingerprints().stream().map(fingerprint -> secretView(fingerprint,
                Optional.empty(), null, lastVerified(source.name(), fingerprint, uses))).toList());
        return view;
    }

    private Map<String, Object> managedView(SourceRegistry.Managed managed, Map<String, Map<String, Instant>> uses) {
        SourceStore.ManagedSource stored = managed.stored();
        Map<String, Object> view = describe(stored.name(), "api", stored.enabled(), managed.source());
        view.put("settings", stored.settings());
        view.put("revision", stored.revision());
        view.put("updatedAt", stored.updatedAt().toString());
        Instant now = clock.instant();
        view.put("secrets", stored.secrets().stream().map(secret -> {
            Map<String, Object> secretView = secretView(secret.fingerprint(), secret.notAfter(), secret.createdAt(),
                    lastVerified(stored.name(), secret.fingerprint(), uses));
            secretView.put("expired", secret.notAfter().filter(time -> !now.isBefore(time)).isPresent());
            return secretView;
        }).toList());
        view.put("problems", managed.problems());
        return view;
    }

    private static Map<String, Object> describe(String name, String origin, boolean enabled, Optional<Source> built) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("origin", origin);
        view.put("enabled", enabled);
        built.ifPresent(source -> {
            view.put("provider", source.provider().configName());
            view.put("topic", source.topic());
            view.put("routes", source.routes().routes().stream().map(Routes.Route::toString).toList());
            view.put("contentMode", source.contentMode().name().toLowerCase());
            view.put("maxBodySize", source.maxBodySize());
        });
        return view;
    }

    private static Map<String, Object> secretView(String fingerprint, Optional<Instant> notAfter, Instant createdAt,
            Optional<Instant> lastVerified) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("fingerprint", fingerprint);
        view.put("notAfter", notAfter.map(Instant::toString).orElse(null));
        if (createdAt != null) {
            view.put("createdAt", createdAt.toString());
        }
        view.put("lastVerifiedAt", lastVerified.map(Instant::toString).orElse(null));
        return view;
    }

    private Optional<Instant> lastVerified(String source, String fingerprint, Map<String, Map<String, Instant>> uses) {
        Optional<Instant> stored = Optional.ofNullable(uses.getOrDefault(source, Map.of()).get(fingerprint));
        Optional<Instant> here = usage.lastSeenHere(source, fingerprint);
        return stored.isEmpty() ? here : here.filter(stored.get()::isBefore).or(() -> stored);
    }

    private static Outcome unknown(String name) {
        return new Outcome.Refused(Problem.of(404, "unknown_source", "Unknown source", "No source is named " + name));
    }

    private static Outcome invalid(String reason) {
        return new Outcome.Refused(Problem.of(400, "invalid_source", "Invalid source", reason));
    }
}
