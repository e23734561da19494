package io.mongoresume.connectors.common.selection;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One namespace pattern as users write it: a glob on {@code database.collection} ({@code *} any run
 * of characters, {@code ?} one character, e.g. {@code shop.*}, {@code *.system.*}), or a Java
 * regular expression between slashes that must match the whole namespace ({@code
 * /^tenant_[0-9]+\.events$/}). A glob without wildcards names one namespace.
 *
 * <p>Database names cannot contain a dot, so a glob's database part is what stands before its first
 * dot; {@link #mayMatchDatabase} uses it to skip databases without listing their collections. A
 * regex may match any database.
 */
@Internal
public final class NamespacePattern implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String text;
    private final boolean regex;
    @Nullable private transient Pattern compiled;
    @Nullable private transient Pattern databaseGlob;

    private NamespacePattern(String text, boolean regex) {
        this.text = text;
        this.regex = regex;
    }

    /**
     * Parses {@code text}, naming {@code option} in the error.
     *
     * @throws IllegalArgumentException for an empty pattern, a glob without a dot or an invalid
     *     regex: with the option, the value and what to write instead
     */
    public static NamespacePattern parse(String text, String option) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException(
                    "Invalid value '' for option '" + option + "': a namespace pattern is empty.");
        }
        if (value.length() >= 2 && value.startsWith("/") && value.endsWith("/")) {
            String body = value.substring(1, value.length() - 1);
            try {
                Pattern.compile(body);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        invalid(value, option)
                                + "not a regular expression ("
                                + e.getDescription()
                                + ").",
                        e);
            }
            return new NamespacePattern(body, true);
        }
        int dot = value.indexOf('.');
        if (dot <= 0 || dot == value.length() - 1) {
            throw new IllegalArgumentException(
                    invalid(value, option)
                            + "a namespace is database.collection, e.g. '"
                            + (dot < 0 ? value + ".*" : "shop.orders")
                            + "' (a glob), or a regular expression between slashes.");
        }
        return new NamespacePattern(value, false);
    }

    private static String invalid(String value, String option) {
        return "Invalid value '" + value + "' for option '" + option + "': ";
    }

    /** Whether {@code database.collection} matches. */
    public boolean matches(String database, String collection) {
        return compiled().matcher(database + '.' + collection).matches();
    }

    /** False only when no collection of {@code database} can match. */
    public boolean mayMatchDatabase(String database) {
        return regex || databaseGlob().matcher(database).matches();
    }

    /** Whether the pattern names exactly one namespace (a glob without wildcards). */
    public boolean isLiteral() {
        return !regex && text.indexOf('*') < 0 && text.indexOf('?') < 0;
    }

    /** The database a glob names when its database part has no wildcard; else null. */
    @Nullable
    public String literalDatabase() {
        if (regex) {
            return null;
        }
        String db = text.substring(0, text.indexOf('.'));
        return db.indexOf('*') < 0 && db.indexOf('?') < 0 ? db : null;
    }

    /** Whether the pattern is a regex (between slashes). */
    public boolean isRegex() {
        return regex;
    }

    /**
     * What the wildcards (of a glob) or the groups (of a regex) matched in {@code namespace}, in
     * order; null when it does not match.
     */
    @Nullable
    List<String> captures(String namespace) {
        Matcher matcher = compiled().matcher(namespace);
        if (!matcher.matches()) {
            return null;
        }
        List<String> groups = new ArrayList<>(matcher.groupCount());
        for (int i = 1; i <= matcher.groupCount(); i++) {
            groups.add(matcher.group(i) == null ? "" : matcher.group(i));
        }
        return groups;
    }

    /** How many captures {@link #captures} returns. */
    int captureCount() {
        return compiled().matcher("").groupCount();
    }

    private Pattern compiled() {
        if (compiled == null) {
            compiled = Pattern.compile(regex ? text : globToRegex(text));
        }
        return compiled;
    }

    private Pattern databaseGlob() {
        if (databaseGlob == null) {
            databaseGlob = Pattern.compile(globToRegex(text.substring(0, text.indexOf('.'))));
        }
        return databaseGlob;
    }

    /** Each wildcard becomes a capturing group, everything else a literal. */
    private static String globToRegex(String glob) {
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    out.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                out.append(c == '*' ? "(.*)" : "(.)");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            out.append(Pattern.quote(literal.toString()));
        }
        return out.toString();
    }

    /** As the user wrote it (a regex between slashes). */
    @Override
    public String toString() {
        return regex ? "/" + text + "/" : text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamespacePattern that && regex == that.regex && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + (regex ? 1 : 0);
    }
}
