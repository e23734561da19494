package io.mongoresume.connectors.common.read;

import org.apache.flink.annotation.Internal;

import com.mongodb.MongoInternalException;

import javax.annotation.Nullable;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server reply the driver refused because it is longer than {@code maxMessageSizeBytes}: a {@link
 * MongoInternalException} "The reply message length N is greater than the maximum message length M"
 * (driver 4.x and 5.x). The driver closes the connection; the cursor is lost and its query must be
 * issued again, with a smaller batch. A real {@code mongod} never sends such a reply (it caps a
 * batch at 16 MiB); servers that put a whole batch in one reply do.
 *
 * @param length the reply's length in bytes
 * @param maxLength the driver's limit ({@code maxMessageSizeBytes})
 */
@Internal
public record RefusedReply(long length, long maxLength) {

    private static final Pattern MESSAGE =
            Pattern.compile(
                    "reply message length (\\d+) is greater than the maximum message length (\\d+)");

    /** The refused reply {@code error} (or one of its causes) reports; null for any other error. */
    @Nullable
    public static RefusedReply of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MongoInternalException && t.getMessage() != null) {
                Matcher m = MESSAGE.matcher(t.getMessage());
                if (m.find()) {
                    return new RefusedReply(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "a reply of " + length + " bytes (the driver's limit is " + maxLength + ")";
    }
}
