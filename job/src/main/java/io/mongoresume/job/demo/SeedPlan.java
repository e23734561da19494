package io.mongoresume.job.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * How much sample data {@link SampleDataSeeder} writes, and from which seed. Immutable.
 *
 * <p>{@code customers}, {@code orders} and {@code events} are sized here; {@code empty_collection}
 * always has 0 documents and {@code singleton} exactly 1, because those edge cases are the point of
 * them. Orders reference customers by index in {@code [0, customers)}, so the same plan always
 * yields the same documents.
 */
public record SeedPlan(long seed, int customers, int orders, int events) {

    public static final long DEFAULT_SEED = 20240601L;
    public static final int DEFAULT_CUSTOMERS = 20_000;
    public static final int DEFAULT_ORDERS = 200_000;
    public static final int DEFAULT_EVENTS = 20_000;

    public SeedPlan {
        checkArgument(customers >= 0, "customers must be >= 0: %s", customers);
        checkArgument(orders >= 0, "orders must be >= 0: %s", orders);
        checkArgument(events >= 0, "events must be >= 0: %s", events);
    }

    /**
     * 20k customers, 200k orders, 20k events, 1 singleton, 1 empty collection (~240 MB of BSON).
     */
    public static SeedPlan defaults() {
        return new SeedPlan(DEFAULT_SEED, DEFAULT_CUSTOMERS, DEFAULT_ORDERS, DEFAULT_EVENTS);
    }

    public static SeedPlan of(long seed, int customers, int orders, int events) {
        return new SeedPlan(seed, customers, orders, events);
    }

    /**
     * The same plan with every sized collection multiplied by {@code factor} (rounded, at least 1
     * where the original was non-zero), e.g. {@code defaults().scale(0.01)} for a 2k-order test.
     */
    public SeedPlan scale(double factor) {
        checkArgument(factor >= 0 && Double.isFinite(factor), "factor must be >= 0: %s", factor);
        return new SeedPlan(
                seed, scaled(customers, factor), scaled(orders, factor), scaled(events, factor));
    }

    private static int scaled(int count, double factor) {
        if (count == 0 || factor == 0) {
            return 0;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(count * factor)));
    }

    public SeedPlan withSeed(long newSeed) {
        return new SeedPlan(newSeed, customers, orders, events);
    }

    public SeedPlan withCustomers(int count) {
        return new SeedPlan(seed, count, orders, events);
    }

    public SeedPlan withOrders(int count) {
        return new SeedPlan(seed, customers, count, events);
    }

    public SeedPlan withEvents(int count) {
        return new SeedPlan(seed, customers, orders, count);
    }

    /** Planned documents per collection, in seeding order (all five collections). */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put(SampleDataSeeder.CUSTOMERS, customers);
        counts.put(SampleDataSeeder.ORDERS, orders);
        counts.put(SampleDataSeeder.EVENTS, events);
        counts.put(SampleDataSeeder.EMPTY_COLLECTION, 0);
        counts.put(SampleDataSeeder.SINGLETON, 1);
        return Collections.unmodifiableMap(counts);
    }

    /** The planned count for one of the five collections. */
    public int count(String collection) {
        Integer count = counts().get(collection);
        checkArgument(count != null, "not a sample collection: %s", collection);
        return count;
    }

    public long totalDocuments() {
        return (long) customers + orders + events + 1;
    }

    @Override
    public String toString() {
        return "SeedPlan{seed="
                + seed
                + ", customers="
                + customers
                + ", orders="
                + orders
                + ", events="
                + events
                + ", empty_collection=0, singleton=1}";
    }
}
