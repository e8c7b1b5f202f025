package io.webhookingest.testing;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the Prometheus text the application exposes at {@code /q/metrics}. */
public final class Metrics {

    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)$");

    private Metrics() {
    }

    /** The value of the sample with this name and these labels (among possibly others); 0 when absent. */
    public static double value(String name, Map<String, String> labels) {
        String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            if (sample.group(1).equals(name) && hasLabels(sample.group(3), labels)) {
                return Double.parseDouble(sample.group(4));
            }
        }
        return 0;
    }

    /** The sum of every sample with this name in a Prometheus text, whatever its labels; 0 when absent. */
    public static double total(String text, String name) {
        double total = 0;
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            if (sample.group(1).equals(name)) {
                total += Double.parseDouble(sample.group(4));
            }
        }
        return total;
    }

    private static boolean hasLabels(String rendered, Map<String, String> labels) {
        String all = rendered == null ? "" : rendered;
        return labels.entrySet().stream().allMatch(l -> all.contains(l.getKey() + "=\"" + l.getValue() + "\""));
    }
}
