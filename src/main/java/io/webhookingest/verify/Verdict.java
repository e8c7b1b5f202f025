package io.webhookingest.verify;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a signature check: valid (possibly with a nonce to guard against replay), or rejected for a reason
 * the sender can act on.
 *
 * @param rejection   why the delivery was rejected; {@code null} when it is valid
 * @param detail      a sentence for the sender; never contains a secret or an expected signature
 * @param replayGuard for valid deliveries whose scheme signs a nonce
 * @param secret      for valid deliveries, the index of the secret that signed it, in the order the verifier was
 *                    given them; {@link HmacKeys#NO_MATCH} otherwise
 */
public record Verdict(Rejection rejection, String detail, Optional<ReplayGuard> replayGuard, int secret) {

    public static Verdict valid(int secret) {
        return new Verdict(null, null, Optional.empty(), secret);
    }

    public static Verdict valid(int secret, ReplayGuard guard) {
        return new Verdict(null, null, Optional.of(guard), secret);
    }

    public static Verdict rejected(Rejection rejection, String detail) {
        return new Verdict(Objects.requireNonNull(rejection), Objects.requireNonNull(detail), Optional.empty(),
                HmacKeys.NO_MATCH);
    }

    /** Valid, signed with the secret at this index; rejected for the reason given when no secret matched. */
    static Verdict signedWith(int secret, Rejection rejection, String detail) {
        return secret == HmacKeys.NO_MATCH ? rejected(rejection, detail) : valid(secret);
    }

    public boolean isValid() {
        return rejection == null;
    }

    /** A sender's value as it may be echoed in a detail: quoted, and cut short so that nothing large is reflected. */
    public static String quote(String value) {
        return "'" + (value.length() <= 16 ? value : value.substring(0, 16) + "…") + "'";
    }
}
