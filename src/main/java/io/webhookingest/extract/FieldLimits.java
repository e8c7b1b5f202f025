package io.webhookingest.extract;

import java.nio.charset.StandardCharsets;

/**
 * Bounds on extracted values. A value outside them makes the delivery malformed here (quarantined, 400), before it
 * reaches a shared multi-row insert where Postgres would reject the whole batch, or a Kafka key and {@code ce_*}
 * headers where consumers would have to cope with it:
 * <ul>
 * <li>lengths are counted in UTF-8 bytes, the unit Postgres and Kafka store, and the identity's stays well below what
 * a unique index entry can hold (about 2,700 bytes with the source name);</li>
 * <li>no control characters: C0 (NUL, CR, LF, …), DEL and C1, which split or forge lines in logs and headers; the
 * bidirectional overrides, embeddings, isolates and marks, which make a value read differently from what it is;
 * line and paragraph separators; and unpaired surrogates, which have no UTF-8 form.</li>
 * </ul>
 */
public final class FieldLimits {

    public static final int MAX_IDENTITY_BYTES = 1024;
    public static final int MAX_TYPE_BYTES = 256;
    public static final int MAX_SUBJECT_BYTES = 1024;

    private FieldLimits() {
    }

    /** The extraction itself when every value is within bounds, else why not. */
    public static Extraction enforce(Extraction extraction) {
        if (extraction instanceof Extraction.Events events) {
            for (ExtractedEvent event : events.events()) {
                String problem = firstProblem(event);
                if (problem != null) {
                    return new Extraction.Malformed(problem);
                }
            }
        }
        return extraction;
    }

    private static String firstProblem(ExtractedEvent event) {
        String problem = check("identity", event.identity(), MAX_IDENTITY_BYTES);
        if (problem == null) {
            problem = check("type", event.type(), MAX_TYPE_BYTES);
        }
        if (problem == null) {
            problem = check("subject", event.subject(), MAX_SUBJECT_BYTES);
        }
        return problem;
    }

    private static String check(String field, String value, int maxBytes) {
        if (value.isBlank()) {
            return "The event " + field + " is empty";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "The event " + field + " contains an unpaired surrogate (U+" + hex(c) + ")";
            } else if (forbidden(c)) {
                return "The event " + field + " contains the control character U+" + hex(c);
            }
        }
        if (value.length() > maxBytes / 3 && value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return "The event " + field + " is longer than " + maxBytes + " bytes in UTF-8";
        }
        return null;
    }

    static boolean forbidden(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F)
                || c == 0x061C || c == 0x200E || c == 0x200F
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029;
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}
