package io.mongoresume.job.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a YAML job file plus {@code --set key=value} overrides into raw string options. Nested YAML
 * maps are flattened into dotted keys ({@code source: {uri: x}} is {@code source.uri: x}); YAML
 * lists become {@code ;}-separated values, as Flink's list options expect.
 */
public final class JobConfigLoader {

    private JobConfigLoader() {}

    /**
     * Loads the file (may be null: options come from overrides only) and applies the overrides in
     * order.
     */
    public static MigrationConfig load(Path file, List<String> overrides) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (file != null) {
            raw.putAll(readYaml(file));
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new InvalidConfigException(
                        "--set expects key=value, got '"
                                + override
                                + "' (e.g. --set snapshot.readers=4)");
            }
            raw.put(override.substring(0, eq).trim(), override.substring(eq + 1).trim());
        }
        return MigrationConfig.fromRaw(raw);
    }

    static Map<String, String> readYaml(Path file) {
        Object root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException("Job file not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new InvalidConfigException(
                    "Cannot read job file " + file + ": " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new InvalidConfigException(
                    "Job file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null) {
            return flat;
        }
        if (!(root instanceof Map)) {
            throw new InvalidConfigException(
                    "Job file " + file + " must be a YAML map of option keys to values");
        }
        flatten("", (Map<?, ?>) root, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> into) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map) {
                flatten(key + ".", (Map<?, ?>) value, into);
            } else if (value instanceof Collection) {
                into.put(
                        key,
                        ((Collection<?>) value)
                                .stream().map(String::valueOf).collect(Collectors.joining(";")));
            } else if (value != null) {
                into.put(key, String.valueOf(value));
            }
        }
    }
}
