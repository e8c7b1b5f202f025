package io.webhookingest.source;

import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.crypto.Mac;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
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
 * The configured sources, built once at startup. A configuration mistake (unknown provider, bad selector, unusable
 * secret or algorithm) stops the application with a message naming the key, instead of surfacing as rejected
 * deliveries later. Messages never contain a secret.
 */
@Startup
@ApplicationScoped
public class SourceRegistry {

    private static final Logger LOG = Logger.getLogger(SourceRegistry.class);
    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Map<String, Source> sources;

    SourceRegistry(IngestConfig config, Clock clock) {
        Map<String, Source> built = new TreeMap<>();
        config.sources().forEach((name, source) -> built.put(name, build(name, source, config, clock)));
        this.sources = Map.copyOf(built);
        if (sources.isEmpty()) {
            LOG.warn("No webhook sources are configured (ingest.sources.<name>.provider); every delivery gets 404");
        }
    }

    public Optional<Source> find(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    public Collection<Source> all() {
        return sources.values();
    }

    /** How a source's records are written; binary for one no longer configured. */
    public ContentMode contentMode(String name) {
        return find(name).map(Source::contentMode).orElse(ContentMode.BINARY);
    }

    private static Source build(String name, IngestConfig.SourceConfig config, IngestConfig ingest, Clock clock) {
        String key = "ingest.sources." + name;
        if (!SOURCE_NAME.matcher(name).matches()) {
            throw new IllegalStateException(key + ": a source name is 1-63 lower-case letters, digits or dashes");
        }
        WebhookProvider provider = WebhookProvider.named(config.provider())
                .orElseThrow(() -> new IllegalStateException(key + ".provider: unknown provider '"
                        + config.provider() + "'; known providers are " + WebhookProvider.names()));
        List<String> secrets = config.secrets().orElse(List.of()).stream().filter(s -> !s.isBlank()).toList();
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
            LOG.warnf("Source %s has no secret (%s.secrets); it rejects every delivery", name, key);
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
        LOG.infof("Source %s: provider %s, %d secret(s), topic %s%s, bodies up to %d bytes", name,
                provider.configName(), secrets.size(), topic, routes.routes().isEmpty() ? ""
                        : " routed by type " + routes.routes(), maxBodySize);
        return new Source(name, provider, verifier,
                request -> FieldLimits.enforce(overrides.apply(request, extractor.extract(request))), topic,
                routes, config.contentMode(), maxBodySize, !unsignedIdentityHeaders.isEmpty());
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
