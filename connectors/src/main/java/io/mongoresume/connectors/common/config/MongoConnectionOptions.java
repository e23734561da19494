package io.mongoresume.connectors.common.config;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Where and how to connect to one MongoDB deployment. Immutable and serializable, so sources and
 * sinks carry it to the TaskManagers. {@link #toString()} masks the password: this object appears
 * in logs and in the job graph the web UI shows.
 *
 * @param uri a {@code mongodb://} or {@code mongodb+srv://} connection string
 * @param timeoutMillis how long to wait for a reachable server (server selection and connect) and,
 *     on a {@link #createBoundedClient() bounded client}, for any one operation
 */
public record MongoConnectionOptions(String uri, long timeoutMillis) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * @throws IllegalArgumentException if the URI does not parse; the message never contains the
     *     password
     */
    public MongoConnectionOptions {
        checkNotNull(uri, "uri");
        checkArgument(timeoutMillis > 0, "timeout must be positive");
        try {
            new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Not a valid MongoDB connection string: "
                            + mask(uri)
                            + " ("
                            + mask(e.getMessage())
                            + ")");
        }
    }

    /** See {@link #MongoConnectionOptions(String, long)}. */
    public static MongoConnectionOptions of(String uri, long timeoutMillis) {
        return new MongoConnectionOptions(uri, timeoutMillis);
    }

    /**
     * A new client; the caller closes it. Fails fast (after the timeout) when no server answers.
     */
    public MongoClient createClient() {
        return MongoClients.create(clientSettings().build());
    }

    /**
     * A new client whose every operation must complete within the timeout; the caller closes it. A
     * stalled server (or network) then fails the operation with a {@link
     * com.mongodb.MongoOperationTimeoutException} instead of blocking the calling thread for good.
     * For the clients of requests that are short by nature: bulk writes, DDL, snapshot batches.
     * Cursors must be opened with {@link com.mongodb.client.cursor.TimeoutMode#ITERATION} to bound
     * each batch rather than the cursor's lifetime, and an operation that may legitimately run
     * longer (a count over a whole collection) opts out with {@code withTimeout(0, ...)}.
     */
    public MongoClient createBoundedClient() {
        return MongoClients.create(boundedClientSettings().build());
    }

    /** Settings of {@link #createClient()}, to add to (e.g. a command listener in tests). */
    public MongoClientSettings.Builder clientSettings() {
        return MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(
                        b -> b.serverSelectionTimeout(timeoutMillis, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(
                        b -> b.connectTimeout((int) timeoutMillis, TimeUnit.MILLISECONDS));
    }

    /**
     * Settings of {@link #createBoundedClient()}: the driver's client-side operation timeout
     * ({@code timeoutMS}). It bounds server selection, connection checkout and the wait for the
     * reply together, and sends the server the time left as {@code maxTimeMS}, so the server gives
     * up on the operation too.
     */
    public MongoClientSettings.Builder boundedClientSettings() {
        return clientSettings().timeout(timeoutMillis, TimeUnit.MILLISECONDS);
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
    public String toString() {
        return "MongoConnectionOptions{uri="
                + maskedUri()
                + ", timeoutMillis="
                + timeoutMillis
                + '}';
    }
}
