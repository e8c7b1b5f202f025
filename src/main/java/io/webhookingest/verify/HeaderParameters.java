package io.webhookingest.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses signature headers made of {@code key=value} pairs, such as Stripe's {@code t=…,v1=…} or xpanse's
 * {@code algorithm=…;headers=…;signature=…}. Keys may repeat; values keep any further {@code =}.
 */
public final class HeaderParameters {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final List<String[]> pairs;

    private HeaderParameters(List<String[]> pairs) {
        this.pairs = pairs;
    }

    /** Empty when any part is not a {@code key=value} pair with a non-empty key. */
    public static Optional<HeaderParameters> parse(String header, char separator) {
        List<String[]> pairs = new ArrayList<>();
        int start = 0;
        while (start <= header.length()) {
            int end = header.indexOf(separator, start);
            end = end < 0 ? header.length() : end;
            String part = header.substring(start, end);
            start = end + 1;
            int equals = part.indexOf('=');
            if (equals <= 0) {
                return Optional.empty();
            }
            pairs.add(new String[] {part.substring(0, equals).trim(), part.substring(equals + 1).trim()});
        }
        return Optional.of(new HeaderParameters(pairs));
    }

    /**
     * The whitespace-separated words of a header value, such as Standard Webhooks' list of signatures or the header
     * names xpanse signs; a blank value is one empty word.
     */
    public static String[] words(String value) {
        return WHITESPACE.split(value.trim());
    }

    /** Every value of the key, in order. */
    public List<String> all(String key) {
        return pairs.stream().filter(pair -> pair[0].equals(key)).map(pair -> pair[1]).toList();
    }

    /** The value of a key that must appear exactly once; empty when it is missing or repeated. */
    public Optional<String> single(String key) {
        List<String> values = all(key);
        return values.size() == 1 ? Optional.of(values.get(0)) : Optional.empty();
    }
}
