package io.webhookingest.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.webhookingest.observe.RollupStore;

/**
 * Turns the rollup's rows into one chart per source: a point per minute of the range for each outcome (rejections by
 * reason), zero where nothing happened, and the average publish delay where anything was published.
 */
final class ConsoleCharts {

    static final long MINUTE_SECONDS = 60;

    private ConsoleCharts() {
    }

    /** Charts for the minutes from {@code from} (inclusive) to {@code until} (exclusive), by source name. */
    static List<ConsoleViews.Chart> of(List<RollupStore.Minute> rows, Instant from, Instant until,
            ObjectMapper mapper) {
        long first = from.getEpochSecond() / MINUTE_SECONDS;
        int minutes = (int) Math.max(1, until.getEpochSecond() / MINUTE_SECONDS - first);
        Map<String, Map<String, long[]>> bySource = new TreeMap<>();
        Map<String, long[][]> delays = new TreeMap<>();
        for (RollupStore.Minute row : rows) {
            int index = (int) (row.minute().getEpochSecond() / MINUTE_SECONDS - first);
            if (index < 0 || index >= minutes) {
                continue;
            }
            if (row.outcome().equals("published")) {
                long[][] delay = delays.computeIfAbsent(row.source(), source -> new long[2][minutes]);
                delay[0][index] += row.delayMillisSum();
                delay[1][index] += row.deliveries();
            } else {
                String series = row.outcome().equals("rejected") ? "rejected: " + row.reason() : row.outcome();
                bySource.computeIfAbsent(row.source(), source -> new TreeMap<>())
                        .computeIfAbsent(series, name -> new long[minutes])[index] += row.deliveries();
            }
        }
        delays.keySet().forEach(source -> bySource.computeIfAbsent(source, name -> new TreeMap<>()));
        List<ConsoleViews.Chart> charts = new ArrayList<>();
        bySource.forEach((source, series) -> {
            long[] x = new long[minutes];
            for (int i = 0; i < minutes; i++) {
                x[i] = (first + i) * MINUTE_SECONDS;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("x", x);
            data.put("series", series);
            long[][] delay = delays.get(source);
            if (delay != null) {
                Long[] average = new Long[minutes];
                for (int i = 0; i < minutes; i++) {
                    average[i] = delay[1][i] == 0 ? null : delay[0][i] / delay[1][i];
                }
                data.put("delayMillis", average);
            }
            long accepted = total(series.get("accepted"));
            long rejected = series.entrySet().stream().filter(entry -> entry.getKey().startsWith("rejected"))
                    .mapToLong(entry -> total(entry.getValue())).sum();
            charts.add(new ConsoleViews.Chart(source, json(mapper, data), accepted, rejected));
        });
        return charts;
    }

    private static long total(long[] values) {
        long total = 0;
        if (values != null) {
            for (long value : values) {
                total += value;
            }
        }
        return total;
    }

    private static String json(ObjectMapper mapper, Object data) {
        try {
            return mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chart data always serialises", e);
        }
    }
}
