package io.webhookingest.source;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.extract.FieldLimits;
import io.webhookingest.verify.Rejection;
import io.webhookingest.verify.SignatureVerifier;
import io.webhookingest.verify.Verdict;

/**
 * The configured sources, built once at startup. A configuration mistake (unknown provider, bad source name) stops
 * the application with a message naming the key, instead of surfacing as rejected deliveries later.
 */
@Startup
@ApplicationScoped
public class SourceRegistry {

    private static final Logger LOG = Logger.getLogger(SourceRegistry.class);
    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Map<String, Source> sources;

    SourceRegistry(IngestConfig config) {
        Map<String, Source> built = new TreeMap<>();
        config.sources().forEach((name, sourceConfig) -> built.put(name, build(name, sourceConfig)));
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

    private static Source build(String name, IngestConfig.SourceConfig config) {
        String key = "ingest.sources." + name;
        if (!SOURCE_NAME.matcher(name).matches()) {
            throw new IllegalStateException(key + ": a source name is 1-63 lower-case letters, digits or dashes");
        }
        WebhookProvider provider = WebhookProvider.named(config.provider())
                .orElseThrow(() -> new IllegalStateException(key + ".provider: unknown provider '"
                        + config.provider() + "'; known providers are " + WebhookProvider.names()));
        List<String> secrets = config.secrets().orElse(List.of()).stream().filter(s -> !s.isBlank()).toList();
        SourceSettings settings = new SourceSettings(name, secrets);
        SignatureVerifier verifier;
        if (secrets.isEmpty()) {
            LOG.warnf("Source %s has no secret (%s.secrets); it rejects every delivery", name, key);
            verifier = request -> Verdict.rejected(Rejection.NO_SECRET,
                    "The source has no secret configured, so no delivery can be verified");
        } else {
            verifier = provider.verifier(settings);
        }
        var extractor = provider.extractor(settings);
        String topic = config.topic().orElse("webhooks." + name);
        LOG.infof("Source %s: provider %s, %d secret(s), topic %s", name, provider.configName(), secrets.size(),
                topic);
        return new Source(name, provider, verifier, request -> FieldLimits.enforce(extractor.extract(request)),
                topic);
    }
}
