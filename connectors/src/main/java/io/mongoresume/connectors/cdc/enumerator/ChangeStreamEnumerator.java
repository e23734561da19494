package io.mongoresume.connectors.cdc.enumerator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.util.FlinkRuntimeException;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.cdc.offset.ChangeStreamOffset;
import io.mongoresume.connectors.cdc.offset.ClusterTimeCapture;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.common.StartGate;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Creates one split per selected namespace, across the databases the selection spans, and hands
 * them to readers round-robin. On a fresh start it resolves the start position (capturing it when
 * asked to) and lists the namespaces; with patterns and discovery on it lists them again every
 * interval, off the coordinator thread, in every database the selection may match (so a database
 * created while the job runs is followed too), and a namespace first seen at poll k gets a split
 * starting at poll k-1's time: that time was taken before poll k-1 listed the databases and their
 * collections, so before the new collection existed, and its stream sees every insert.
 *
 * <p>It never signals "no more splits": a collection may appear at any time.
 */
@Internal
public final class ChangeStreamEnumerator
        implements SplitEnumerator<ChangeStreamSplit, ChangeStreamEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeStreamEnumerator.class);

    private final SplitEnumeratorContext<ChangeStreamSplit> context;
    private final MongoConnectionOptions connection;
    private final CollectionSelection selection;
    private final StartPosition startPosition;
    private final long discoveryIntervalMillis;
    private final StartGate startGate;

    /** The migration's first start (kept in the state): what the start gate is asked about. */
    private final String migrationId;

    private boolean initialized;

    /** Namespaces that get a stream at a first start whether or not they are listed then. */
    private final List<String> namespacesAtStart;

    /** The namespaces ({@code database.collection}) that have a split. */
    private final TreeSet<String> knownNamespaces;

    /** Known namespaces missing from the last listing (said once each). */
    private final java.util.Set<String> gone = new TreeSet<>();

    @Nullable private BsonTimestamp lastPollTime;

    /** Splits not yet assigned, by the subtask that should get them. */
    private final Map<Integer, List<ChangeStreamSplit>> pendingByReader = new HashMap<>();

    private int nextReader;

    @Nullable private MongoClient client;

    /**
     * @param namespacesAtStart namespaces the job resolved at its start (what its snapshot copies):
     *     each gets a stream at a first start even if it is gone by the time this enumerator lists,
     *     so that its later changes and its drop still arrive.
     */
    public ChangeStreamEnumerator(
            SplitEnumeratorContext<ChangeStreamSplit> context,
            MongoConnectionOptions connection,
            CollectionSelection selection,
            StartPosition startPosition,
            long discoveryIntervalMillis,
            StartGate startGate,
            String freshMigrationId,
            List<String> namespacesAtStart,
            ChangeStreamEnumState state) {
        this.namespacesAtStart = List.copyOf(namespacesAtStart);
        this.context = checkNotNull(context);
        this.connection = checkNotNull(connection);
        this.selection = checkNotNull(selection);
        // A job stopped before its streams began starts them where its first start would have.
        this.startPosition =
                state.pendingStart() != null ? state.pendingStart() : checkNotNull(startPosition);
        this.migrationId =
                state.migrationId() != null ? state.migrationId() : checkNotNull(freshMigrationId);
        this.discoveryIntervalMillis = discoveryIntervalMillis;
        this.startGate = checkNotNull(startGate);
        this.initialized = state.initialized();
        this.knownNamespaces = new TreeSet<>(state.knownNamespaces());
        this.lastPollTime = state.lastPollTime();
        for (ChangeStreamSplit split : state.pendingSplits()) {
            addPending(split, nextReaderIndex());
        }
        if (initialized) {
            retireUnselected();
        }
    }

    /**
     * A resume whose job file no longer selects some namespaces: their streams end (the readers
     * drop the splits they restore, see {@link
     * io.mongoresume.connectors.cdc.reader.ChangeStreamSourceReader#addSplits}).
     */
    private void retireUnselected() {
        List<String> retired = ResumedSelection.retired(selection, knownNamespaces);
        if (retired.isEmpty()) {
            return;
        }
        knownNamespaces.removeAll(retired);
        pendingByReader
                .values()
                .forEach(splits -> splits.removeIf(s -> retired.contains(s.splitId())));
        LOG.info(
                "{} namespace(s) are no longer selected by {}; their change streams end: {}",
                retired.size(),
                selection,
                retired);
    }

    private FlinkRuntimeException failure(String what, Throwable error) {
        return new FlinkRuntimeException(
                "Could not "
                        + what
                        + " of the selection "
                        + selection
                        + " at "
                        + connection.maskedUri(),
                error);
    }

    /** A split of {@code namespace} ({@code database.collection}) at the given position. */
    private static ChangeStreamSplit split(
            String namespace, @Nullable BsonDocument token, @Nullable BsonTimestamp time) {
        return new ChangeStreamSplit(
                CollectionSelection.databaseOf(namespace),
                CollectionSelection.collectionOf(namespace),
                token,
                time);
    }

    private void handleAdded(@Nullable ResumedSelection.Added result, @Nullable Throwable error) {
        if (error != null) {
            throw failure("take the change-stream start of namespaces added at a resume", error);
        }
        List<String> added = new ArrayList<>();
        for (String namespace : result.namespaces()) {
            if (knownNamespaces.add(namespace)) {
                added.add(namespace);
                addPending(split(namespace, null, result.start()), nextReaderIndex());
            }
        }
        if (added.isEmpty()) {
            return; // none, or a discovery poll found them first
        }
        LOG.info(
                "Change streams of {} namespace(s) of {} the savepoint does not know start at {}: {}",
                added.size(),
                selection,
                ChangeStreamOffset.describe(result.start()),
                added);
        assignPending();
    }

    @Override
    public void start() {
        // Opened on restore as well as on a fresh start: discovery needs it either way.
        client = connection.createClient();
        if (!initialized) {
            context.callAsync(this::discoverInitial, this::handleInitial);
        } else {
            BsonTimestamp lastPoll = lastPollTime;
            List<String> known = new ArrayList<>(knownNamespaces);
            MongoClient mongo = client;
            context.callAsync(
                    () -> ResumedSelection.added(selection, mongo, known, lastPoll, startPosition),
                    this::handleAdded);
        }
        if (selection.followsNewCollections() && discoveryIntervalMillis > 0) {
            context.callAsync(
                    this::poll, this::handlePoll, discoveryIntervalMillis, discoveryIntervalMillis);
        }
    }

    /** Result of a listing: the time taken before it and the selected namespaces. */
    private record Listing(
            BsonTimestamp pollTime,
            List<String> namespaces,
            @Nullable BsonDocument startToken,
            @Nullable BsonTimestamp startTime) {}

    /**
     * Worker thread: waits for the start gate, resolves the start position, then takes the poll
     * time, then lists.
     */
    private Listing discoverInitial() throws Exception {
        awaitStartGate();
        BsonDocument startToken = startPosition.resumeToken();
        BsonTimestamp startTime = startPosition.operationTime();
        List<String> listed = selection.listedNamespaces();
        if (startPosition.isCaptured()) {
            String probe = listed.isEmpty() ? null : listed.get(0);
            startTime =
                    ClusterTimeCapture.captureTime(
                                    client,
                                    selection,
                                    probe,
                                    startPosition.safetyMargin(),
                                    "change-stream start position of "
                                            + selection
                                            + " ("
                                            + startPosition.kind()
                                            + ")")
                            .time();
        }
        BsonTimestamp pollTime = startTime;
        List<String> names = listed;
        if (selection.followsNewCollections()) {
            pollTime = capturePollTime();
            names = listSelected();
        }
        // A namespace dropped after the job resolved it but before this listing (which waits for
        // the target preparation) must still get its stream: the stream starts before the drop.
        TreeSet<String> all = new TreeSet<>(names);
        for (String namespace : namespacesAtStart) {
            if (selection.matchesNamespace(namespace)) {
                all.add(namespace);
            }
        }
        return new Listing(pollTime, new ArrayList<>(all), startToken, startTime);
    }

    /** The streams' start position is fixed already; waiting here only delays their first read. */
    private void awaitStartGate() throws Exception {
        long started = System.currentTimeMillis();
        long nextLog = 0;
        while (!startGate.isOpen(migrationId)) {
            long waited = System.currentTimeMillis() - started;
            if (waited >= nextLog) {
                LOG.info(
                        "Change streams of {} wait for the target to be prepared before they write"
                                + " (waiting {} s)",
                        selection,
                        waited / 1000);
                nextLog = waited + 60_000;
            }
            if (client == null) {
                throw new java.util.concurrent.CancellationException(
                        "Change-stream enumerator closed");
            }
            Thread.sleep(200);
        }
    }

    private void handleInitial(@Nullable Listing listing, @Nullable Throwable error) {
        if (error != null) {
            throw failure("resolve the change-stream start of", error);
        }
        if (initialized) {
            return;
        }
        for (String namespace : listing.namespaces()) {
            if (knownNamespaces.add(namespace)) {
                addPending(
                        split(namespace, listing.startToken(), listing.startTime()),
                        nextReaderIndex());
            }
        }
        lastPollTime = listing.pollTime();
        initialized = true;
        LOG.info(
                "Change streams of {} start at {}: {}",
                selection,
                new ChangeStreamOffset(listing.startToken(), listing.startTime()).describe(),
                knownNamespaces);
        assignPending();
    }

    /**
     * Worker thread: one discovery poll. The time is taken before the databases are listed, so a
     * database created after it is either listed now or started at this time by the next poll.
     */
    private Listing poll() {
        BsonTimestamp pollTime = capturePollTime();
        return new Listing(pollTime, listSelected(), null, null);
    }

    private void handlePoll(@Nullable Listing listing, @Nullable Throwable error) {
        if (error != null) {
            LOG.warn(
                    "Discovery of new collections of {} failed; retrying in {} ms",
                    selection,
                    discoveryIntervalMillis,
                    error);
            return;
        }
        if (!initialized) {
            return; // the initial listing has not finished; it sets the first poll time
        }
        BsonTimestamp start = lastPollTime != null ? lastPollTime : listing.pollTime();
        for (String namespace : listing.namespaces()) {
            if (knownNamespaces.add(namespace)) {
                LOG.info(
                        "New collection {} found; its change stream starts at {} (the previous discovery poll)",
                        namespace,
                        ChangeStreamOffset.describe(start));
                addPending(split(namespace, null, start), nextReaderIndex());
            }
        }
        for (String namespace : knownNamespaces) {
            if (!listing.namespaces().contains(namespace) && gone.add(namespace)) {
                // The embedded test server streams nothing for a rename away; a real server sends a
                // rename or
                // drop event, which ddl.enabled decides about.
                LOG.warn(
                        "Collection {} is gone from the source (dropped, or renamed away); what the job copied"
                                + " of it stays at the target unless ddl.enabled applies a drop. Its change"
                                + " stream stays open: a collection created again under that name is followed.",
                        namespace);
            }
        }
        gone.removeIf(
                listing.namespaces()::contains); // back again: a second disappearance is said again
        lastPollTime = listing.pollTime();
        assignPending();
    }

    /** A server-provided cluster time where available, else server/client time minus the margin. */
    private BsonTimestamp capturePollTime() {
        return ClusterTimeCapture.captureTime(
                        client,
                        selection,
                        null,
                        startPosition.safetyMargin().isZero()
                                ? StartPosition.DEFAULT_SAFETY_MARGIN
                                : startPosition.safetyMargin(),
                        "discovery poll time of " + selection)
                .time();
    }

    /**
     * The selected namespaces of every database the selection may match, listed anew each time: a
     * database created since the last listing is among them.
     */
    private List<String> listSelected() {
        return selection.filterNamespaces(selection.eligibleNamespaces(client));
    }

    private int nextReaderIndex() {
        return nextReader++;
    }

    private void addPending(ChangeStreamSplit split, int readerIndex) {
        int reader = Math.floorMod(readerIndex, context.currentParallelism());
        pendingByReader.computeIfAbsent(reader, r -> new ArrayList<>()).add(split);
    }

    /** Hands every pending split whose reader is registered to that reader. */
    private void assignPending() {
        Map<Integer, List<ChangeStreamSplit>> assignment = new HashMap<>();
        for (Integer reader : context.registeredReaders().keySet()) {
            List<ChangeStreamSplit> splits = pendingByReader.remove(reader);
            if (splits != null && !splits.isEmpty()) {
                assignment.put(reader, splits);
            }
        }
        if (!assignment.isEmpty()) {
            LOG.info("Assigning change-stream splits: {}", assignment);
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        // Splits are pushed when created; readers never ask.
    }

    @Override
    public void addSplitsBack(List<ChangeStreamSplit> splits, int subtaskId) {
        LOG.info("Change-stream splits back from subtask {}: {}", subtaskId, splits);
        pendingByReader.computeIfAbsent(subtaskId, r -> new ArrayList<>()).addAll(splits);
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    @Override
    public ChangeStreamEnumState snapshotState(long checkpointId) {
        List<ChangeStreamSplit> pending = new ArrayList<>();
        pendingByReader.values().forEach(pending::addAll);
        return new ChangeStreamEnumState(
                initialized,
                pending,
                knownNamespaces,
                lastPollTime,
                migrationId,
                initialized ? null : startPosition);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
