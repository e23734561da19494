package io.mongoresume.job.config;

import org.apache.flink.configuration.ConfigOption;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an option's declaration says about its values, for error texts and the generated options
 * table (Flink 1.20 keeps {@code ConfigOption#isList} and {@code #getClazz} package-private), and
 * the "did you mean" of an unknown key.
 */
final class OptionTypes {

    private OptionTypes() {}

    static String expected(ConfigOption<?> option) {
        Class<?> clazz = typeOf(option);
        if (clazz != null && clazz.isEnum()) {
            return "one of "
                    + Arrays.stream(clazz.getEnumConstants())
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "));
        }
        if (clazz == Integer.class || clazz == Long.class) {
            return "a whole number";
        }
        if (clazz == Boolean.class) {
            return "true or false";
        }
        if (clazz == Duration.class) {
            return "a duration such as 10 s, 500 ms or 2 min";
        }
        return "a value of type " + (clazz == null ? "?" : clazz.getSimpleName());
    }

    /**
     * Whether the option holds a list ({@code ConfigOption#isList} is package-private in Flink
     * 1.20).
     */
    static boolean isList(ConfigOption<?> option) {
        try {
            java.lang.reflect.Method isList = ConfigOption.class.getDeclaredMethod("isList");
            isList.setAccessible(true);
            return (Boolean) isList.invoke(option);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** The option's value type ({@code ConfigOption#getClazz} is package-private in Flink 1.20). */
    static Class<?> typeOf(ConfigOption<?> option) {
        try {
            java.lang.reflect.Method getClazz = ConfigOption.class.getDeclaredMethod("getClazz");
            getClazz.setAccessible(true);
            return (Class<?>) getClazz.invoke(option);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    static String closest(String key, Set<String> known) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        String best =
                known.stream()
                        .min(Comparator.comparingInt(k -> distance.apply(key, k)))
                        .orElse(null);
        if (best != null && distance.apply(key, best) <= Math.max(3, key.length() / 3)) {
            return " Did you mean '" + best + "'?";
        }
        return "";
    }
}
