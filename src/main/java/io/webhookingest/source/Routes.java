package io.webhookingest.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a source's events go by type: ordered rules, the first whose pattern matches the type wins, otherwise the
 * source's topic. A rule names a topic, or {@value #RECORD_ONLY}: the event is stored and deduplicated but never
 * published. A pattern is a type, or a glob where {@code *} stands for any run of characters and {@code ?} for one.
 */
public final class Routes {

    public static final String RECORD_ONLY = "record-only";
    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** One rule: a type pattern and the topic its events go to, none for record-only. */
    public record Route(String pattern, Optional<String> topic) {

        /** {@code <pattern>=<topic>} or {@code <pattern>=record-only}, as configured. */
        @Override
        public String toString() {
            return pattern + "=" + topic.orElse(RECORD_ONLY);
        }
    }

    private record Rule(Route route, Pattern matcher) {
    }

    private final List<Rule> rules;
    private final String topic;
    /** The answer for every type no rule matches, made once: it is what most events get. */
    private final Optional<String> unrouted;

    private Routes(List<Rule> rules, String topic) {
        this.rules = rules;
        this.topic = topic;
        this.unrouted = Optional.of(topic);
    }

    /**
     * Parses rules written {@code <pattern>=<topic>} or {@code <pattern>=record-only}; {@code topic}, the source's own,
     * is taken as configured (a topic the broker refuses sets its events aside as failed, to replay once fixed). Throws
     * {@link IllegalArgumentException} naming the rule when one is malformed or names an invalid topic.
     */
    public static Routes parse(List<String> rules, String topic) {
        List<Rule> parsed = new ArrayList<>();
        for (String rule : rules) {
            int equals = rule.lastIndexOf('=');
            String pattern = equals < 0 ? "" : rule.substring(0, equals).trim();
            String target = equals < 0 ? "" : rule.substring(equals + 1).trim();
            if (pattern.isEmpty() || target.isEmpty()) {
                throw new IllegalArgumentException("route '" + rule + "' must have the form <type or glob>=<topic>"
                        + " or <type or glob>=" + RECORD_ONLY);
            }
            if (!target.equals(RECORD_ONLY) && !TOPIC.matcher(target).matches()) {
                throw new IllegalArgumentException("route '" + rule + "' names '" + target + "', which is not a"
                        + " Kafka topic name (letters, digits, '.', '_', '-'; at most 249)");
            }
            Optional<String> routed = target.equals(RECORD_ONLY) ? Optional.empty() : Optional.of(target);
            parsed.add(new Rule(new Route(pattern, routed), glob(pattern)));
        }
        return new Routes(List.copyOf(parsed), topic);
    }

    /** The topic an event of this type is published to; empty when it is only recorded. */
    public Optional<String> topicFor(String type) {
        for (Rule rule : rules) {
            if (type != null && rule.matcher().matcher(type).matches()) {
                return rule.route().topic();
            }
        }
        return unrouted;
    }

    /** The rules, in order. */
    public List<Route> routes() {
        return rules.stream().map(Rule::route).toList();
    }

    /** Every topic these routes can publish to, the source's own first. */
    public List<String> topics() {
        List<String> topics = new ArrayList<>(List.of(topic));
        rules.stream().flatMap(rule -> rule.route().topic().stream()).filter(t -> !topics.contains(t))
                .forEach(topics::add);
        return topics;
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
