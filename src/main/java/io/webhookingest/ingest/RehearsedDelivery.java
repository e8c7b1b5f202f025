package io.webhookingest.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;

import io.webhookingest.source.WebhookProvider;

/**
 * The deliveries a warm-up rehearses, one provider's in turn, each signed as that provider signs. Several providers,
 * so that a call that differs by provider (the signature check, the extraction) is compiled for several kinds from
 * the start, as real traffic needs it, rather than for one, to be thrown away and compiled again when a second
 * arrives.
 */
enum RehearsedDelivery {

    STANDARD_WEBHOOKS(WebhookProvider.STANDARD_WEBHOOKS) {
        @Override
        String secret(byte[] key) {
            return "whsec_" + Base64.getEncoder().encodeToString(key);
        }

        @Override
        byte[] macKey(byte[] key) {
            return key;
        }

        @Override
        Map<String, String> headers(Mac mac, String id, long seconds, byte[] body) {
            mac.update((id + "." + seconds + ".").getBytes(StandardCharsets.UTF_8));
            return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(seconds),
                    "webhook-signature", "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body)));
        }

        @Override
        String body(String id) {
            return "{\"type\":\"warm-up.rehearsed\",\"data\":{\"id\":\"" + id + "\",\"amount\":4200}}";
        }
    },

    HUBJECT(WebhookProvider.HUBJECT) {
        @Override
        Map<String, String> headers(Mac mac, String id, long seconds, byte[] body) {
            return Map.of("X-Hubject-Signature", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)));
        }

        @Override
        String body(String id) {
            return "{\"eventId\":\"" + id + "\",\"eventType\":\"oem.contract.created\",\"payload\":{\"emaid\":"
                    + "\"DE8ACC12345678\",\"pcid\":\"" + id + "\"}}";
        }
    },

    GITHUB(WebhookProvider.GITHUB) {
        @Override
        Map<String, String> headers(Mac mac, String id, long seconds, byte[] body) {
            return Map.of("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)),
                    "X-GitHub-Event", "push", "X-GitHub-Delivery", id);
        }

        @Override
        String body(String id) {
            return "{\"ref\":\"refs/heads/main\",\"after\":\"" + id + "\",\"repository\":{\"full_name\":"
                    + "\"warm-up/rehearsal\"}}";
        }
    },

    STRIPE(WebhookProvider.STRIPE) {
        @Override
        Map<String, String> headers(Mac mac, String id, long seconds, byte[] body) {
            mac.update((seconds + ".").getBytes(StandardCharsets.UTF_8));
            return Map.of("Stripe-Signature", "t=" + seconds + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body)));
        }

        @Override
        String body(String id) {
            return "{\"id\":\"evt_" + id + "\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\","
                    + "\"data\":{\"object\":{\"id\":\"pi_rehearsal\",\"amount\":2000}}}";
        }
    };

    private final WebhookProvider provider;

    RehearsedDelivery(WebhookProvider provider) {
        this.provider = provider;
    }

    WebhookProvider provider() {
        return provider;
    }

    /** The source's secret, as its configuration would give it, made from random bytes. */
    String secret(byte[] key) {
        return HexFormat.of().formatHex(key);
    }

    /** The key the provider's MAC is made with, from the same random bytes. */
    byte[] macKey(byte[] key) {
        return secret(key).getBytes(StandardCharsets.UTF_8);
    }

    /** The headers that sign {@code body}, sent {@code seconds} after the epoch; {@code mac} is keyed and reset. */
    abstract Map<String, String> headers(Mac mac, String id, long seconds, byte[] body);

    /** A body with this event identity. */
    abstract String body(String id);
}
