package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-collection metrics of the change-stream reader, under {@code <reader
 * group>.collection.<db>.<coll>}:
 *
 * <ul>
 *   <li>{@value #EVENTS_INSERT}, {@value #EVENTS_UPDATE}, {@value #EVENTS_DELETE}, {@value
 *       #EVENTS_DDL}: counters of emitted events;
 *   <li>{@value #EVENTS_PER_SECOND}: meter of all emitted events (60 s average);
 *   <li>{@value #LAG_MS}: how far the emitted stream is behind the source: now minus the source
 *       time (cluster time, 1 s resolution) of the last emitted event, while the stream still has
 *       unread events; 0 once the reader has read the stream up to its end (idle and caught up),
 *       and 0 before the first event;
 *   <li>{@value #LAST_EVENT_TIME}: source time of the last emitted event, epoch millis (0 before
 *       the first).
 * </ul>
 *
 * Only the task thread (the emitter) updates it; gauges are read by the metric reporters' threads.
 */
@Internal
public final class ChangeStreamMetrics {

    public static final String COLLECTION_GROUP = "collection";
    public static final String EVENTS_INSERT = "eventsInsert";
    public static final String EVENTS_UPDATE = "eventsUpdate";
    public static final String EVENTS_DELETE = "eventsDelete";
    public static final String EVENTS_DDL = "eventsDdl";
    public static final String EVENTS_PER_SECOND = "eventsPerSecond";
    public static final String LAG_MS = "lagMs";
    public static final String LAST_EVENT_TIME = "lastEventTime";

    private static final int METER_SPAN_SECONDS = 60;

    private final MetricGroup readerGroup;
    private final Map<String, CollectionMetrics> byNamespace = new HashMap<>();

    public ChangeStreamMetrics(MetricGroup readerGroup) {
        this.readerGroup = readerGroup;
    }

    void onEvent(String namespace, MigrationEvent event) {
        metricsOf(namespace).onEvent(event);
    }

    void onCaughtUp(String namespace) {
        metricsOf(namespace).caughtUp = true;
    }

    private CollectionMetrics metricsOf(String namespace) {
        return byNamespace.computeIfAbsent(
                namespace, ns -> new CollectionMetrics(readerGroup.addGroup(COLLECTION_GROUP, ns)));
    }

    private static final class CollectionMetrics {
        private final Counter inserts;
        private final Counter updates;
        private final Counter deletes;
        private final Counter ddl;
        private final Meter rate;
        private volatile long lastEventTime;
        private volatile boolean caughtUp = true;

        CollectionMetrics(MetricGroup group) {
            inserts = group.counter(EVENTS_INSERT);
            updates = group.counter(EVENTS_UPDATE);
            deletes = group.counter(EVENTS_DELETE);
            ddl = group.counter(EVENTS_DDL);
            rate = group.meter(EVENTS_PER_SECOND, new MeterView(METER_SPAN_SECONDS));
            group.gauge(LAG_MS, (Gauge<Long>) this::lagMillis);
            group.gauge(LAST_EVENT_TIME, (Gauge<Long>) () -> lastEventTime);
        }

        void onEvent(MigrationEvent event) {
            EventKind kind = event.kind();
            if (kind == EventKind.INSERT) {
                inserts.inc();
            } else if (kind == EventKind.UPDATE) {
                updates.inc();
            } else if (kind == EventKind.DELETE) {
                deletes.inc();
            } else {
                ddl.inc();
            }
            rate.markEvent();
            lastEventTime = event.sourceTimeMillis();
            caughtUp = false;
        }

        long lagMillis() {
            long last = lastEventTime;
            if (caughtUp || last == 0) {
                return 0L;
            }
            return Math.max(0L, System.currentTimeMillis() - last);
        }
    }
}
