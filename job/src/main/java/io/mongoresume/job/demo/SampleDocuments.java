package io.mongoresume.job.demo;

import org.bson.BsonBinary;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Pure functions from (collection, seed, index) to sample documents, shared by {@link
 * SampleDataSeeder} and {@link WorkloadGenerator}. Every document draws from its own random stream
 * seeded by its index, so document {@code i} is the same whatever was generated before it.
 *
 * <p>Every document carries the fields the workload generator touches: {@code tags} (array of
 * strings), {@code note} (string or null), {@code version} (int) and {@code updatedAt} (date).
 */
final class SampleDocuments {

    /** 2024-01-01T00:00:00Z: all generated dates lie after it, so they are stable across runs. */
    static final long BASE_EPOCH_SECONDS = 1_704_067_200L;

    /**
     * Long event ids start here so they never equal an int event id numerically (same _id in
     * MongoDB).
     */
    static final long EVENT_LONG_ID_BASE = 1_000_000_000_000L;

    /** The number of {@code _id} types that {@code events} cycles through. */
    static final int EVENT_ID_TYPES = 8;

    private static final long SALT_CUSTOMERS = 0x43555354L;
    private static final long SALT_ORDERS = 0x4f524452L;
    private static final long SALT_EVENTS = 0x45564e54L;
    private static final long SALT_SINGLETON = 0x53494e47L;
    private static final long SALT_OTHER = 0x4f544852L;
    private static final long SALT_IDS = 0x49445321L;

    private SampleDocuments() {}

    /** Document {@code index} of {@code collection} in {@code plan}, {@code _id} first. */
    static Document document(String collection, SeedPlan plan, long index) {
        Document doc = new Document("_id", id(collection, plan.seed(), index));
        doc.putAll(body(collection, random(plan.seed(), salt(collection), index), index, plan));
        return doc;
    }

    /**
     * The {@code _id} of document {@code index}: see the class Javadoc of {@link SampleDataSeeder}.
     */
    static Object id(String collection, long seed, long index) {
        switch (collection) {
            case SampleDataSeeder.CUSTOMERS:
                return objectId(seed, SALT_CUSTOMERS, index);
            case SampleDataSeeder.ORDERS:
                return index + 1;
            case SampleDataSeeder.EVENTS:
                return eventId(seed, index);
            case SampleDataSeeder.SINGLETON:
                return "singleton";
            default:
                return collection + "-" + index;
        }
    }

    /**
     * A document body (no {@code _id}) in the shape of {@code collection}; unknown collections get
     * a small generic body that still has the workload fields. Orders reference customers of {@code
     * plan}.
     */
    static Document body(String collection, SplittableRandom rnd, long index, SeedPlan plan) {
        switch (collection) {
            case SampleDataSeeder.CUSTOMERS:
                return customer(rnd, index);
            case SampleDataSeeder.ORDERS:
                return order(rnd, plan);
            case SampleDataSeeder.EVENTS:
                return event(rnd, index);
            case SampleDataSeeder.SINGLETON:
                return singleton(rnd);
            default:
                return generic(rnd, index);
        }
    }

    static SplittableRandom random(long seed, long salt, long index) {
        return new SplittableRandom(
                seed * 0x9E3779B97F4A7C15L ^ salt * 0xC2B2AE3D27D4EB4FL ^ index);
    }

    static long salt(String collection) {
        switch (collection) {
            case SampleDataSeeder.CUSTOMERS:
                return SALT_CUSTOMERS;
            case SampleDataSeeder.ORDERS:
                return SALT_ORDERS;
            case SampleDataSeeder.EVENTS:
                return SALT_EVENTS;
            case SampleDataSeeder.SINGLETON:
                return SALT_SINGLETON;
            default:
                return SALT_OTHER ^ collection.hashCode();
        }
    }

    /** An ObjectId ascending with {@code index} (its timestamp is BASE + index seconds). */
    static ObjectId objectId(long seed, long salt, long index) {
        SplittableRandom rnd = random(seed, salt ^ SALT_IDS, index);
        ByteBuffer bytes = ByteBuffer.allocate(12);
        bytes.putInt((int) (BASE_EPOCH_SECONDS + index));
        bytes.putLong(rnd.nextLong());
        return new ObjectId(bytes.array());
    }

    /**
     * Eight {@code _id} types in turn, none numerically equal to another (MongoDB compares 1 ==
     * 1L).
     */
    private static Object eventId(long seed, long index) {
        switch ((int) (index % EVENT_ID_TYPES)) {
            case 0:
                return objectId(seed, SALT_EVENTS, index);
            case 1:
                return (int) index;
            case 2:
                return EVENT_LONG_ID_BASE + index;
            case 3:
                return index + 0.25d;
            case 4:
                return String.format("evt-%09d", index);
            case 5:
                SplittableRandom rnd = random(seed, SALT_EVENTS ^ SALT_IDS, index);
                UUID uuid =
                        new UUID(
                                (rnd.nextLong() & ~0xF000L) | 0x4000L,
                                (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
                return new BsonBinary(uuid); // subtype 4 (standard UUID)
            case 6:
                return new Document("src", "sensor-" + (index % 97)).append("seq", index);
            default:
                return new Date((BASE_EPOCH_SECONDS + index) * 1000L);
        }
    }

    private static Document customer(SplittableRandom rnd, long index) {
        String name =
                rnd.nextInt(5) == 0
                        ? SampleVocabulary.pick(rnd, SampleVocabulary.WORLD_NAMES)
                        : SampleVocabulary.pick(rnd, SampleVocabulary.FIRST_NAMES)
                                + " "
                                + SampleVocabulary.pick(rnd, SampleVocabulary.LAST_NAMES);
        String[] city = SampleVocabulary.CITIES[rnd.nextInt(SampleVocabulary.CITIES.length)];
        Document doc =
                new Document("name", name)
                        .append("email", "customer" + index + "@example.com")
                        .append(
                                "phone",
                                rnd.nextInt(4) == 0
                                        ? null
                                        : "+41 79 " + (1_000_000 + rnd.nextInt(8_999_999)))
                        .append(
                                "address",
                                new Document(
                                                "street",
                                                SampleVocabulary.pick(rnd, SampleVocabulary.STREETS)
                                                        + " "
                                                        + (1 + rnd.nextInt(200)))
                                        .append("city", city[0])
                                        .append("zip", city[2])
                                        .append("country", city[1])
                                        .append(
                                                "geo",
                                                new Document("lat", -90 + rnd.nextDouble() * 180)
                                                        .append(
                                                                "lon",
                                                                -180 + rnd.nextDouble() * 360)))
                        .append("tags", SampleVocabulary.tags(rnd, 0, 4))
                        .append("balance", money(rnd, 5_000_000))
                        .append("createdAt", date(rnd, 0))
                        .append("lastLoginAt", rnd.nextInt(3) == 0 ? null : date(rnd, 200))
                        .append("active", rnd.nextInt(10) != 0)
                        .append(
                                "preferences",
                                new Document(
                                                "language",
                                                SampleVocabulary.pick(
                                                        rnd, SampleVocabulary.LANGUAGES))
                                        .append("newsletter", rnd.nextBoolean())
                                        .append("theme", rnd.nextBoolean() ? "dark" : "light"));
        if (rnd.nextInt(10) < 3) {
            // Present on ~30%: the sparse index on it only holds these.
            doc.append("loyaltyId", "LOY-" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36));
        }
        return workloadFields(doc, rnd).append("bio", SampleVocabulary.words(rnd, 15, 35));
    }

    private static Document order(SplittableRandom rnd, SeedPlan plan) {
        int lines = 1 + rnd.nextInt(4);
        List<Document> items = new ArrayList<>(lines);
        long totalCents = 0;
        for (int i = 0; i < lines; i++) {
            int qty = 1 + rnd.nextInt(5);
            long unitCents = 199 + rnd.nextInt(20_000);
            totalCents += qty * unitCents;
            items.add(
                    new Document("sku", "SKU-" + (10_000 + rnd.nextInt(90_000)))
                            .append("name", SampleVocabulary.pick(rnd, SampleVocabulary.PRODUCTS))
                            .append("qty", qty)
                            .append("unitPrice", new Decimal128(BigDecimal.valueOf(unitCents, 2))));
        }
        String[] city = SampleVocabulary.CITIES[rnd.nextInt(SampleVocabulary.CITIES.length)];
        Object customerId =
                plan.customers() == 0
                        ? null
                        : objectId(plan.seed(), SALT_CUSTOMERS, rnd.nextInt(plan.customers()));
        Document doc =
                new Document("customerId", customerId)
                        .append("createdAt", date(rnd, 0))
                        .append("status", SampleVocabulary.pick(rnd, SampleVocabulary.ORDER_STATUS))
                        .append("currency", rnd.nextInt(3) == 0 ? "EUR" : "CHF")
                        .append("items", items)
                        .append("total", new Decimal128(BigDecimal.valueOf(totalCents, 2)))
                        .append("paid", rnd.nextBoolean())
                        .append(
                                "shipping",
                                new Document(
                                                "method",
                                                SampleVocabulary.pick(
                                                        rnd, SampleVocabulary.SHIPPING))
                                        .append(
                                                "address",
                                                new Document(
                                                                "street",
                                                                SampleVocabulary.pick(
                                                                                rnd,
                                                                                SampleVocabulary
                                                                                        .STREETS)
                                                                        + " "
                                                                        + (1 + rnd.nextInt(200)))
                                                        .append("city", city[0])
                                                        .append("zip", city[2])
                                                        .append("country", city[1])))
                        .append(
                                "coupon",
                                rnd.nextInt(5) == 0 ? "SAVE" + (5 + rnd.nextInt(30)) : null);
        return workloadFields(doc, rnd).append("comment", SampleVocabulary.words(rnd, 5, 20));
    }

    private static Document event(SplittableRandom rnd, long index) {
        Document doc =
                new Document("type", SampleVocabulary.pick(rnd, SampleVocabulary.EVENT_TYPES))
                        .append("at", date(rnd, 0))
                        .append("seq", index)
                        .append("source", rnd.nextBoolean() ? "web" : "app")
                        .append(
                                "payload",
                                new Document("level", rnd.nextInt(10) == 0 ? "error" : "info")
                                        .append("message", SampleVocabulary.words(rnd, 6, 18))
                                        .append(
                                                "metrics",
                                                new Document("cpu", rnd.nextDouble())
                                                        .append(
                                                                "memBytes",
                                                                (long) rnd.nextInt(1 << 30) * 4)
                                                        .append("latencyMs", rnd.nextInt(2_000))));
        if (rnd.nextBoolean()) {
            doc.append("correlationId", new BsonBinary(new UUID(rnd.nextLong(), rnd.nextLong())));
        }
        return workloadFields(doc, rnd).append("extra", SampleVocabulary.words(rnd, 10, 30));
    }

    private static Document singleton(SplittableRandom rnd) {
        Document doc =
                new Document("name", "the only document — 唯一")
                        .append("createdAt", date(rnd, 0))
                        .append(
                                "settings",
                                new Document("maintenance", false)
                                        .append("limits", List.of(10, 100, 1000))
                                        .append("banner", "Willkommen 👋"));
        return workloadFields(doc, rnd);
    }

    private static Document generic(SplittableRandom rnd, long index) {
        Document doc =
                new Document("seq", index)
                        .append("createdAt", date(rnd, 0))
                        .append("text", SampleVocabulary.words(rnd, 10, 40));
        return workloadFields(doc, rnd);
    }

    private static Document workloadFields(Document doc, SplittableRandom rnd) {
        return doc.append("tags", SampleVocabulary.tags(rnd, 0, 3))
                .append("note", rnd.nextInt(3) == 0 ? null : SampleVocabulary.words(rnd, 2, 6))
                .append("version", 1)
                .append("updatedAt", date(rnd, 400));
    }

    private static Decimal128 money(SplittableRandom rnd, int maxCents) {
        return new Decimal128(BigDecimal.valueOf(rnd.nextInt(maxCents) - maxCents / 10, 2));
    }

    /** A date within ~2 years after BASE + offsetDays. */
    static Date date(SplittableRandom rnd, int offsetDays) {
        long seconds = BASE_EPOCH_SECONDS + offsetDays * 86_400L + rnd.nextInt(730 * 86_400);
        return new Date(seconds * 1000L + rnd.nextInt(1000));
    }
}
