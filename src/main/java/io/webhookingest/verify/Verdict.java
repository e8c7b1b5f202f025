package io.webhookingest.verify;

import java.util.Objects;

/**
 * The outcome of a signature check: valid, or rejected for a reason the sender can act on.
 *
 * @param rejection why the delivery was rejected; {@code null} when it is valid
 * @param detail    a sentence for the sender; never contains a secret or an expected signature
 */
public record Verdict(Rejection rejection, String detail) {

    private static final Verdict VALID = new Verdict(null, null);

    public static Verdict valid() {
        return VALID;
    }

    public static Verdict rejected(Rejection rejection, String detail) {
        return new Verdict(Objects.requireNonNull(rejection), Objects.requireNonNull(detail));
    }

    public boolean isValid() {
        return rejection == null;
    }
}
