package io.webhookingest.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The benchmark's deliveries: a mix of providers, each signed the way its sender signs, each with a unique identity,
 * and the source configuration the application under test needs to accept them.
 */
final class SignedDeliveries {

    static final String HUBJECT_SECRET = "bench-hubject-secret";
    static final String STRIPE_SECRET = "whsec_bench_stripe";
    static final String GITHUB_SECRET = "bench-github-secret";
    static final String STANDARD_WEBHOOKS_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "bench-standard-webhooks-key".getBytes(StandardCharsets.UTF_8));
    static final List<String> SOURCES = List.of("hubject", "stripe", "github", "standard-webhooks");

    /** One request: path, headers and body. */
    record Delivery(String path, Map<String, String> headers, byte[] body) {
    }

    private final String run;
    /**
     * Keyed Macs per sending thread. Unlike the tests' {@code Signatures}, which looks up and keys a Mac per call, this
     * costs the generator nothing per request, as its CPU is taken from the application it measures.
     */
    private final ThreadLocal<Mac[]> macs = ThreadLocal.withInitial(() -> new Mac[] {
        mac(HUBJECT_SECRET.getBytes(StandardCharsets.UTF_8)), mac(STRIPE_SECRET.getBytes(StandardCharsets.UTF_8)),
        mac(GITHUB_SECRET.getBytes(StandardCharsets.UTF_8)),
        mac(Base64.getDecoder().decode(STANDARD_WEBHOOKS_SECRET.substring("whsec_".length())))});

    /** @param run distinguishes this run's identities and topics from any other's */
    SignedDeliveries(String run) {
        this.run = run;
    }

    /** The sources and topics the application must be configured with, as system properties. */
    Map<String, String> sourceConfig() {
        Map<String, String> config = new HashMap<>();
        Map<String, String> secrets = Map.of("hubject", HUBJECT_SECRET, "stripe", STRIPE_SECRET, "github",
                GITHUB_SECRET, "standard-webhooks", STANDARD_WEBHOOKS_SECRET);
        for (String source : SOURCES) {
            config.put("ingest.sources." + source + ".provider", source);
            config.put("ingest.sources." + source + ".secrets", secrets.get(source));
            config.put("ingest.sources." + source + ".topic", topic(source));
        }
        return config;
    }

    String topic(String source) {
        return "bench." + run + "." + source;
    }

    List<String> topics() {
        return SOURCES.stream().map(this::topic).toList();
    }

    /** The n-th delivery: providers in turn, every identity unique. */
    Delivery delivery(long n) {
        String id = run + "-" + n;
        Mac[] mac = macs.get();
        switch ((int) (n % 4)) {
            case 0: {
                byte[] body = ("{\"eventId\":\"" + id + "\",\"eventType\":\"oem.contract.created\",\"payload\":"
                        + "{\"emaid\":\"DE8ACC" + (n % 1000) + "\",\"pcid\":\"PCID" + n + "\"}}")
                        .getBytes(StandardCharsets.UTF_8);
                return new Delivery("/webhooks/hubject", Map.of("X-Hubject-Signature",
                        "sha256=" + HexFormat.of().formatHex(mac[0].doFinal(body))), body);
            }
            case 1: {
                String t = Long.toString(Instant.now().getEpochSecond());
                byte[] body = ("{\"id\":\"evt_" + id + "\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\","
                        + "\"data\":{\"object\":{\"id\":\"pi_" + (n % 1000) + "\",\"amount\":2000}}}")
                        .getBytes(StandardCharsets.UTF_8);
                mac[1].update((t + ".").getBytes(StandardCharsets.UTF_8));
                return new Delivery("/webhooks/stripe", Map.of("Stripe-Signature",
                        "t=" + t + ",v1=" + HexFormat.of().formatHex(mac[1].doFinal(body))), body);
            }
            case 2: {
                byte[] body = ("{\"ref\":\"refs/heads/main\",\"after\":\"" + id + "\",\"repository\":{\"full_name\":"
                        + "\"octo-org/repo-" + (n % 100) + "\"}}").getBytes(StandardCharsets.UTF_8);
                return new Delivery("/webhooks/github", Map.of("X-Hub-Signature-256",
                        "sha256=" + HexFormat.of().formatHex(mac[2].doFinal(body)), "X-GitHub-Event", "push",
                        "X-GitHub-Delivery", id), body);
            }
            default: {
                String t = Long.toString(Instant.now().getEpochSecond());
                byte[] body = ("{\"type\":\"invoice.paid\",\"data\":{\"id\":\"inv_" + id + "\",\"amount\":4200}}")
                        .getBytes(StandardCharsets.UTF_8);
                mac[3].update((id + "." + t + ".").getBytes(StandardCharsets.UTF_8));
                return new Delivery("/webhooks/standard-webhooks", Map.of("webhook-id", id, "webhook-timestamp", t,
                        "webhook-signature", "v1," + Base64.getEncoder().encodeToString(mac[3].doFinal(body))), body);
            }
        }
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
