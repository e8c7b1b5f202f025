package io.webhookingest.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** One source per provider, as a user would configure them, for the real-stack provider tests. */
public class ProvidersProfile implements QuarkusTestProfile {

    public static final String TERRAFORM_TOKEN = "tf-notification-token";
    public static final String ENTRUPY_SECRET = "entrupy-secret";
    public static final String TERRATRUE_SECRET = "terratrue-secret";
    public static final String XPANSE_SECRET = "xpanse-secret";
    public static final String XPANSE_PUBLIC_URL = "https://hooks.example.com/xpanse";
    public static final String STANDARD_WEBHOOKS_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /** Source {@code routed}: paid invoices to their own topic, other invoice events stored only. */
    public static final String ROUTES = "invoice.paid=webhooks.invoices,invoice.*=record-only";
    public static final String GITHUB_SECRET = "github-secret";
    public static final String STRIPE_OLD_SECRET = "whsec_old_stripe";
    public static final String STRIPE_SECRET = "whsec_new_stripe";
    public static final String SLACK_SECRET = "slack-signing-secret";
    public static final String ACME_SECRET = "acme-secret";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("ingest.sources.terraform.provider", "terraform"),
                Map.entry("ingest.sources.terraform.secrets", TERRAFORM_TOKEN),
                Map.entry("ingest.sources.entrupy.provider", "entrupy"),
                Map.entry("ingest.sources.entrupy.secrets", ENTRUPY_SECRET),
                Map.entry("ingest.sources.entrupy.id", "/event/id"),
                Map.entry("ingest.sources.entrupy.type", "/event/name"),
                Map.entry("ingest.sources.entrupy.subject", "/item/entrupy_id"),
                Map.entry("ingest.sources.terratrue.provider", "terratrue"),
                Map.entry("ingest.sources.terratrue.secrets", TERRATRUE_SECRET),
                Map.entry("ingest.sources.xpanse.provider", "xpanse"),
                Map.entry("ingest.sources.xpanse.secrets", XPANSE_SECRET),
                Map.entry("ingest.sources.xpanse.public-url", XPANSE_PUBLIC_URL),
                Map.entry("ingest.sources.xpanse-direct.provider", "xpanse"),
                Map.entry("ingest.sources.xpanse-direct.secrets", XPANSE_SECRET),
                Map.entry("ingest.sources.standard-webhooks.provider", "standard-webhooks"),
                Map.entry("ingest.sources.standard-webhooks.secrets", STANDARD_WEBHOOKS_SECRET),
                Map.entry("ingest.sources.routed.provider", "standard-webhooks"),
                Map.entry("ingest.sources.routed.secrets", STANDARD_WEBHOOKS_SECRET),
                Map.entry("ingest.sources.routed.routes", ROUTES),
                Map.entry("ingest.sources.routed.content-mode", "structured"),
                Map.entry("ingest.sources.github.provider", "github"),
                Map.entry("ingest.sources.github.secrets", GITHUB_SECRET),
                Map.entry("ingest.sources.stripe.provider", "stripe"),
                Map.entry("ingest.sources.stripe.secrets", STRIPE_OLD_SECRET + "," + STRIPE_SECRET),
                Map.entry("ingest.sources.slack.provider", "slack"),
                Map.entry("ingest.sources.slack.secrets", SLACK_SECRET),
                Map.entry("ingest.sources.acme.provider", "hmac"),
                Map.entry("ingest.sources.acme.secrets", ACME_SECRET),
                Map.entry("ingest.sources.acme.signature.header", "X-Acme-Signature"),
                Map.entry("ingest.sources.acme.signature.algorithm", "HmacSHA512"),
                Map.entry("ingest.sources.acme.signature.encoding", "base64"),
                Map.entry("ingest.sources.acme.signature.prefix", "v1="),
                Map.entry("ingest.sources.acme.signature.content", "{header:X-Acme-Timestamp}.{body}"),
                Map.entry("ingest.sources.acme.timestamp.header", "X-Acme-Timestamp"),
                Map.entry("ingest.sources.acme.id", "/delivery/id"),
                Map.entry("ingest.sources.acme.type", "header:X-Acme-Event"),
                Map.entry("ingest.sources.acme.subject", "/delivery/account"),
                Map.entry("quarkus.http.proxy.proxy-address-forwarding", "true"),
                Map.entry("quarkus.http.proxy.allow-x-forwarded", "true"),
                Map.entry("quarkus.http.proxy.enable-forwarded-host", "true"));
    }
}
