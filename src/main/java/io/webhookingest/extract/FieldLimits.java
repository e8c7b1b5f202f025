package io.webhookingest.extract;

/**
 * Bounds on extracted values. A value outside them makes the delivery malformed here, before it reaches a shared
 * multi-row insert where Postgres would reject the whole batch (index entries are limited in size, text cannot hold
 * NUL).
 */
public final class FieldLimits {

    public static final int MAX_IDENTITY_LENGTH = 1024;
    public static final int MAX_TYPE_LENGTH = 256;
    public static final int MAX_SUBJECT_LENGTH = 1024;

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
        String problem = check("identity", event.identity(), MAX_IDENTITY_LENGTH);
        if (problem == null) {
            problem = check("type", event.type(), MAX_TYPE_LENGTH);
        }
        if (problem == null) {
            problem = check("subject", event.subject(), MAX_SUBJECT_LENGTH);
        }
        return problem;
    }

    private static String check(String field, String value, int maxLength) {
        if (value.isBlank()) {
            return "The event " + field + " is empty";
        }
        if (value.length() > maxLength) {
            return "The event " + field + " is longer than " + maxLength + " characters";
        }
        if (value.indexOf('\0') >= 0) {
            return "The event " + field + " contains a NUL character";
        }
        return null;
    }
}
