package io.mongoresume.connectors.common.config;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Where and how to connect to one MongoDB deployment. Immutable and serializable, so sources and sinks carry
 * it to the TaskManagers. {@link #toString()} masks the password: this object appears in logs and in the job
 * graph the web UI shows.
 */
public final class MongoConnectionOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String uri;
    private final long timeoutMillis;

    private MongoConnectionOptions(String uri, long timeoutMillis) {
        this.uri = uri;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * @param uri a {@code mongodb://} or {@code mongodb+srv://} connection string
     * @param timeoutMillis how long to wait for a reachable server (server selection and connect)
     * @throws IllegalArgumentException if the URI does not parse; the message never contains the password
     */
    public static MongoConnectionOptions of(String uri, long timeoutMillis) {
        checkNotNull(uri, "uri");
        checkArgument(timeoutMillis > 0, "timeout must be positive");
        try {
            new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Not a valid MongoDB connection string: " + mask(uri) + " (" + mask(e.getMessage()) + ")");
        }
        return new MongoConnectionOptions(uri, timeoutMillis);
    }

    public String uri() {
        return uri;
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** A new client; the caller closes it. Fails fast (after the timeout) when no server answers. */
    public MongoClient createClient() {
        MongoClientSettings settings =
                MongoClientSettings.builder()
                        .applyConnectionString(new ConnectionString(uri))
                        .applyToClusterSettings(
                                b -> b.serverSelectionTimeout(timeoutMillis, TimeUnit.MILLISECONDS))
                        .applyToSocketSettings(
                                b -> b.connectTimeout((int) timeoutMillis, TimeUnit.MILLISECONDS))
                        .build();
        return MongoClients.create(settings);
    }

    /** The URI with any {@code user:password@} replaced by {@code user:****@}. */
    public String maskedUri() {
        return mask(uri);
    }

    /** Masks every {@code //user:password@} credential in a text (a URI, an error message). */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        return text.replaceAll("(mongodb(?:\\+srv)?://[^:/@\\s]*):[^@\\s]*@", "$1:****@");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MongoConnectionOptions)) {
            return false;
        }
        MongoConnectionOptions that = (MongoConnectionOptions) o;
        return timeoutMillis == that.timeoutMillis && uri.equals(that.uri);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, timeoutMillis);
    }

    @Override
    public String toString() {
        return "MongoConnectionOptions{uri=" + maskedUri() + ", timeoutMillis=" + timeoutMillis + '}';
    }
}
