package io.webhookingest.source;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.webhookingest.extract.EventExtractor;
import io.webhookingest.extract.FieldSelector;
import io.webhookingest.extract.SelectorEventExtractor;
import io.webhookingest.extract.SlackEventExtractor;
import io.webhookingest.extract.TerraformEventExtractor;
import io.webhookingest.extract.XpanseEventExtractor;
import io.webhookingest.verify.EntrupySignatureVerifier;
import io.webhookingest.verify.GitHubSignatureVerifier;
import io.webhookingest.verify.HmacSignatureVerifier;
import io.webhookingest.verify.HubjectSignatureVerifier;
import io.webhookingest.verify.SignatureVerifier;
import io.webhookingest.verify.SlackSignatureVerifier;
import io.webhookingest.verify.StandardWebhooksSignatureVerifier;
import io.webhookingest.verify.StripeSignatureVerifier;
import io.webhookingest.verify.TerraTrueSignatureVerifier;
import io.webhookingest.verify.TerraformSignatureVerifier;
import io.webhookingest.verify.XpanseSignatureVerifier;

/**
 * The providers a source can speak, by the name used in {@code ingest.sources.<name>.provider}. Each binds a
 * signature scheme to the way events are found in its deliveries. Providers that document no event id use the
 * SHA-256 of the raw body, which their retries of the same bytes reproduce, and {@code <source>.webhook} as type.
 */
public enum WebhookProvider {

    HUBJECT("hubject",
            settings -> new HubjectSignatureVerifier(settings.secrets()),
            settings -> selectors(List.of("/eventId"), List.of("/eventType"), Optional.empty(),
                    List.of("/payload/emaid", "/payload/rootCertificateId"))),

    TERRAFORM("terraform",
            settings -> new TerraformSignatureVerifier(settings.secrets()),
            settings -> new TerraformEventExtractor()),

    ENTRUPY("entrupy",
            settings -> new EntrupySignatureVerifier(settings.secrets()),
            WebhookProvider::bodyDigestIdentity),

    TERRATRUE("terratrue",
            settings -> new TerraTrueSignatureVerifier(settings.secrets(), settings.window()),
            WebhookProvider::bodyDigestIdentity),

    XPANSE("xpanse",
            settings -> new XpanseSignatureVerifier(settings.secrets(), settings.algorithms(), settings.window(),
                    settings.publicUrl()),
            settings -> new XpanseEventExtractor()),

    STANDARD_WEBHOOKS("standard-webhooks",
            settings -> new StandardWebhooksSignatureVerifier(settings.secrets(), settings.window()),
            settings -> selectors(List.of("header:webhook-id", "header:svix-id"), List.of("/type"),
                    Optional.of(settings.fallbackType()), List.of())),

    GITHUB("github",
            settings -> new GitHubSignatureVerifier(settings.secrets()),
            settings -> selectors(List.of("header:X-GitHub-Delivery"), List.of("header:X-GitHub-Event"),
                    Optional.empty(), List.of("/repository/full_name", "/organization/login"))),

    STRIPE("stripe",
            settings -> new StripeSignatureVerifier(settings.secrets(), settings.window()),
            settings -> selectors(List.of("/id"), List.of("/type"), Optional.empty(), List.of("/data/object/id"))),

    SLACK("slack",
            settings -> new SlackSignatureVerifier(settings.secrets(), settings.window()),
            settings -> new SlackEventExtractor()),

    HMAC("hmac",
            settings -> new HmacSignatureVerifier(settings.hmacScheme().orElseThrow(), settings.secrets(),
                    settings.window(), settings.publicUrl()),
            WebhookProvider::bodyDigestIdentity);

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

    private static EventExtractor selectors(List<String> identity, List<String> type, Optional<String> fallbackType,
            List<String> subject) {
        return new SelectorEventExtractor(parse(identity), parse(type), fallbackType, parse(subject));
    }

    private static EventExtractor bodyDigestIdentity(SourceSettings settings) {
        return new SelectorEventExtractor(List.of(new FieldSelector.BodyDigest()), List.of(),
                Optional.of(settings.fallbackType()), List.of());
    }

    private static List<FieldSelector> parse(List<String> specs) {
        return specs.stream().map(FieldSelector::parse).toList();
    }
}
