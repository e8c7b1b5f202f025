package io.webhookingest.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Checks a signed timestamp against the clock, in both directions: older than the tolerance is stale, further ahead
 * than the tolerance is in the future. A zero tolerance turns the check off.
 */
public final class TimestampWindow {

    /** More digits than any plausible epoch value in milliseconds; longer values are malformed, not parsed. */
    private static final int MAX_DIGITS = 15;

    private final Duration tolerance;
    private final Clock clock;

    public TimestampWindow(Duration tolerance, Clock clock) {
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("a timestamp tolerance cannot be negative");
        }
        this.tolerance = tolerance;
        this.clock = clock;
    }

    public boolean enabled() {
        return !tolerance.isZero();
    }

    public Duration tolerance() {
        return tolerance;
    }

    /** Parses an epoch value in {@code unit} (seconds or milliseconds); empty when it is not a plain number. */
    public static Optional<Instant> parse(String value, TimeUnit unit) {
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.length() > MAX_DIGITS || !trimmed.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(unit.toMillis(Long.parseLong(trimmed))));
    }

    /**
     * Checks the timestamp header's raw value; empty when it is acceptable (or the window is off), else why not.
     */
    public Optional<Verdict> check(String headerName, String value, TimeUnit unit) {
        if (value == null) {
            return Optional.of(Verdict.rejected(Rejection.MISSING_TIMESTAMP, "The " + headerName + " header is missing"));
        }
        Optional<Instant> timestamp = parse(value, unit);
        if (timestamp.isEmpty()) {
            return Optional.of(Verdict.rejected(Rejection.MALFORMED_TIMESTAMP,
                    headerName + " must be a Unix time in " + unit.name().toLowerCase()));
        }
        if (!enabled()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (timestamp.get().isBefore(now.minus(tolerance))) {
            return Optional.of(Verdict.rejected(Rejection.STALE_TIMESTAMP,
                    headerName + " is more than " + tolerance.toSeconds() + " s in the past"));
        }
        if (timestamp.get().isAfter(now.plus(tolerance))) {
            return Optional.of(Verdict.rejected(Rejection.FUTURE_TIMESTAMP,
                    headerName + " is more than " + tolerance.toSeconds() + " s in the future"));
        }
        return Optional.empty();
    }
}
