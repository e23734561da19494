package io.mongoresume.job.config;

import org.apache.flink.configuration.ConfigOption;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an option's declaration says about its values, for error texts and the generated options table
 * (Flink 1.20 keeps {@code ConfigOption#isList} and {@code #getClazz} package-private), and the "did you
 * mean" of an unknown key.
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

    /** Whether the option holds a list ({@code ConfigOption#isList} is package-private in Flink 1.20). */
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
        String best =
                known.stream()
                        .min(Comparator.comparingInt(k -> distance(key, k)))
                        .orElse(null);
        if (best != null && distance(key, best) <= Math.max(3, key.length() / 3)) {
            return " Did you mean '" + best + "'?";
        }
        return "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
