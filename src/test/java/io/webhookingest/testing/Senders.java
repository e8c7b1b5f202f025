package io.webhookingest.testing;

import static io.webhookingest.testing.Signatures.hmac;
import static io.webhookingest.testing.Signatures.hmacBase64;
import static io.webhookingest.testing.Signatures.hmacHex;
import static io.webhookingest.testing.Signatures.utf8;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Signs deliveries the way each provider's sender does, at the current time, from the providers' documents and
 * independently of the code under test. Each returns the headers to send with the body.
 */
public final class Senders {

    private Senders() {
    }

    public static Map<String, String> hubject(String secret, byte[] body) {
        return Map.of("X-Hubject-Signature", "sha256=" + hmacHex("HmacSHA256", secret, body));
    }

    public static Map<String, String> terraform(String token, byte[] body) {
        return Map.of("X-TFE-Notification-Signature", hmacHex("HmacSHA512", token, body));
    }

    public static Map<String, String> entrupy(String secret, byte[] body) {
        return Map.of("Entrupy-Signature", "SHA256:" + hmacBase64("HmacSHA256", secret, body));
    }

    public static Map<String, String> terratrue(String secret, byte[] body) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        return Map.of("X-TerraTrue-Request-Timestamp", timestamp, "X-TerraTrue-Signature-Version", "v1",
                "X-TerraTrue-Signature", hmacHex("HmacSHA256", secret, utf8("v1:" + timestamp + ":"), body));
    }

    /** xpanse signs the nonce, the millisecond timestamp, the full URL it calls, and the body. */
    public static Map<String, String> xpanse(String secret, String url, byte[] body) {
        byte[] nonceBytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonceBytes);
        return xpanse(secret, url, HexFormat.of().formatHex(nonceBytes), Instant.now().toEpochMilli(), body);
    }

    public static Map<String, String> xpanse(String secret, String url, String nonce, long millis, byte[] body) {
        String signature = hmacHex("HmacSHA256", secret, utf8(nonce + "\n" + millis + "\n" + url + "\n"), body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-nonce-signature", nonce);
        headers.put("x-timestamp-signature", Long.toString(millis));
        headers.put("x-signature",
                "algorithm=HmacSHA256;headers=x-nonce-signature x-timestamp-signature;signature=" + signature);
        return headers;
    }

    public static Map<String, String> standardWebhooks(String secret, String messageId, byte[] body) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        return Map.of("webhook-id", messageId, "webhook-timestamp", timestamp, "webhook-signature",
                "v1," + Base64.getEncoder().encodeToString(hmac("HmacSHA256", key, utf8(messageId + "." + timestamp
                        + "."), body)));
    }

    /** Standard Webhooks as Svix sends them (Clerk, Resend and others): the same signature under svix-* names. */
    public static Map<String, String> svix(String secret, String messageId, byte[] body) {
        Map<String, String> standard = standardWebhooks(secret, messageId, body);
        return Map.of("svix-id", standard.get("webhook-id"), "svix-timestamp", standard.get("webhook-timestamp"),
                "svix-signature", standard.get("webhook-signature"));
    }

    public static Map<String, String> github(String secret, String event, byte[] body) {
        return Map.of("X-Hub-Signature-256", "sha256=" + hmacHex("HmacSHA256", secret, body),
                "X-GitHub-Event", event, "X-GitHub-Delivery", UUID.randomUUID().toString());
    }

    public static Map<String, String> stripe(String secret, byte[] body) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        return Map.of("Stripe-Signature",
                "t=" + timestamp + ",v1=" + hmacHex("HmacSHA256", secret, utf8(timestamp + "."), body));
    }

    public static Map<String, String> slack(String secret, byte[] body) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        return Map.of("X-Slack-Request-Timestamp", timestamp,
                "X-Slack-Signature", "v0=" + hmacHex("HmacSHA256", secret, utf8("v0:" + timestamp + ":"), body));
    }

    /** The scheme the test profile configures for the hmac source "acme". */
    public static Map<String, String> acme(String secret, String event, byte[] body) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        return Map.of("X-Acme-Timestamp", timestamp, "X-Acme-Event", event, "X-Acme-Signature",
                "v1=" + Base64.getEncoder().encodeToString(hmac("HmacSHA512", utf8(secret), utf8(timestamp + "."),
                        body)));
    }
}
