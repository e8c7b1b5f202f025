package io.webhookingest.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The answer to an accepted delivery. {@code status} is {@code accepted} when the delivery created at least one
 * event, {@code duplicate} when every event it carries was already stored.
 */
public record Receipt(String status, List<Item> events) {

    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String RECORDED = "recorded";

    /**
     * One event of the delivery.
     *
     * @param id     the stored event's id, which is also its CloudEvent id
     * @param status {@code accepted}, {@code duplicate}, or {@code recorded} (stored, never published)
     */
    public record Item(UUID id, String status) {
    }

    /**
     * The receipt as JSON, written by hand as it is written once per delivery: ids and statuses hold nothing that
     * needs escaping.
     */
    byte[] toJson() {
        StringBuilder json = new StringBuilder(32 + 64 * events.size()).append("{\"status\":\"").append(status)
                .append("\",\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            Item item = events.get(i);
            json.append(i == 0 ? "{\"id\":\"" : ",{\"id\":\"").append(item.id()).append("\",\"status\":\"")
                    .append(item.status()).append("\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
