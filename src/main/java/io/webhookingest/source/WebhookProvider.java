package io.webhookingest.source;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.webhookingest.extract.EventExtractor;
import io.webhookingest.extract.FieldSelector;
import io.webhookingest.extract.SelectorEventExtractor;
import io.webhookingest.verify.HubjectSignatureVerifier;
import io.webhookingest.verify.SignatureVerifier;

/**
 * The providers a source can speak, by the name used in {@code ingest.sources.<name>.provider}. Each binds a
 * signature scheme to the way events are found in its deliveries.
 */
public enum WebhookProvider {

    HUBJECT("hubject",
            settings -> new HubjectSignatureVerifier(settings.secrets()),
            settings -> new SelectorEventExtractor(
                    selectors("/eventId"),
                    selectors("/eventType"), Optional.empty(),
                    selectors("/payload/emaid", "/payload/rootCertificateId")));

    private final String configName;
    private final Function<SourceSettings, SignatureVerifier> verifier;
    private final Function<SourceSettings, EventExtractor> extractor;

    WebhookProvider(String configName, Function<SourceSettings, SignatureVerifier> verifier,
            Function<SourceSettings, EventExtractor> extractor) {
        this.configName = configName;
        this.verifier = verifier;
        this.extractor = extractor;
    }

    public String configName() {
        return configName;
    }

    SignatureVerifier verifier(SourceSettings settings) {
        return verifier.apply(settings);
    }

    EventExtractor extractor(SourceSettings settings) {
        return extractor.apply(settings);
    }

    static Optional<WebhookProvider> named(String name) {
        return Arrays.stream(values()).filter(p -> p.configName.equals(name)).findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(WebhookProvider::configName).toList();
    }

    private static List<FieldSelector> selectors(String... specs) {
        return Arrays.stream(specs).map(FieldSelector::parse).toList();
    }
}
