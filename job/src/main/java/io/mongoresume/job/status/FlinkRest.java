package io.mongoresume.job.status;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The few read-only calls of Flink's REST API (1.20) that {@code status} needs. JSON is parsed with
 * Flink's shaded Jackson, which the self-contained jar already carries.
 */
final class FlinkRest {

    /** Most metric names per {@code ?get=} request, to keep URLs short. */
    private static final int NAMES_PER_REQUEST = 40;

    private final String base;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper mapper = new ObjectMapper();

    FlinkRest(String base, Duration timeout) {
        String b = checkNotNull(base);
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    String base() {
        return base;
    }

    /** GET {@code path}; a 404 is returned as null, other non-2xx statuses fail. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(timeout)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return mapper.readTree(response.body());
    }

    /** Names listed by a metrics endpoint ({@code [{"id": ...}]}). */
    List<String> metricNames(String path) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        JsonNode list = get(path);
        if (list != null) {
            list.forEach(m -> names.add(m.get("id").asText()));
        }
        return names;
    }

    /**
     * Values of the named metrics from a metrics endpoint; with {@code agg} (e.g. {@code sum}) the
     * endpoint aggregates over subtasks and the field of that name is read, otherwise {@code
     * value}.
     */
    Map<String, Double> metricValues(String path, List<String> names, String agg)
            throws IOException, InterruptedException {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int from = 0; from < names.size(); from += NAMES_PER_REQUEST) {
            List<String> chunk =
                    names.subList(from, Math.min(names.size(), from + NAMES_PER_REQUEST));
            StringBuilder query = new StringBuilder("?get=");
            for (int i = 0; i < chunk.size(); i++) {
                query.append(i == 0 ? "" : ",")
                        .append(URLEncoder.encode(chunk.get(i), StandardCharsets.UTF_8));
            }
            if (agg != null) {
                query.append("&agg=").append(agg);
            }
            JsonNode list = get(path + query);
            if (list == null) {
                continue;
            }
            for (JsonNode m : list) {
                JsonNode v = m.get(agg != null ? agg : "value");
                if (v != null) {
                    try {
                        values.put(m.get("id").asText(), Double.parseDouble(v.asText()));
                    } catch (NumberFormatException e) {
                        // Non-numeric gauge: not one of ours.
                    }
                }
            }
        }
        return values;
    }
}
