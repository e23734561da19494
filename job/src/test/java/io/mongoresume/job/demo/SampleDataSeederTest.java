package io.mongoresume.job.demo;

import com.mongodb.MongoClientSettings;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.Codec;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sample documents without a server: determinism, id schemes, shapes and sizes. */
class SampleDataSeederTest {

    private static final Codec<Document> CODEC =
            MongoClientSettings.getDefaultCodecRegistry().get(Document.class);

    @Test
    void sameSeedGivesSameDocumentsAndOtherSeedOthers() {
        for (String collection :
                List.of(
                        SampleDataSeeder.CUSTOMERS,
                        SampleDataSeeder.ORDERS,
                        SampleDataSeeder.EVENTS,
                        SampleDataSeeder.SINGLETON)) {
            List<Document> first = list(SampleDataSeeder.documents(collection, 7L, 200));
            List<Document> again = list(SampleDataSeeder.documents(collection, 7L, 200));
            List<Document> other = list(SampleDataSeeder.documents(collection, 8L, 200));
            assertThat(bytes(again)).isEqualTo(bytes(first));
            assertThat(bytes(other)).isNotEqualTo(bytes(first));
        }
    }

    @Test
    void randomAccessMatchesIteration() {
        SeedPlan plan = SeedPlan.defaults().scale(0.001);
        List<Document> orders = list(SampleDataSeeder.documents(SampleDataSeeder.ORDERS, plan));
        assertThat(orders).hasSize(plan.orders());
        assertThat(SampleDataSeeder.document(SampleDataSeeder.ORDERS, plan, 17))
                .isEqualTo(orders.get(17));
    }

    @Test
    void ordersHaveLongIdsLineItemsAndDecimalPrices() {
        SeedPlan plan = SeedPlan.of(1, 10, 50, 0);
        List<Document> orders = list(SampleDataSeeder.documents(SampleDataSeeder.ORDERS, plan));
        Set<Object> customerIds = new HashSet<>();
        SampleDataSeeder.documents(SampleDataSeeder.CUSTOMERS, plan)
                .forEachRemaining(c -> customerIds.add(c.get("_id")));
        for (int i = 0; i < orders.size(); i++) {
            Document order = orders.get(i);
            assertThat(order.get("_id")).isEqualTo((long) i + 1);
            assertThat(customerIds).contains(order.get("customerId"));
            assertThat(order.getList("items", Document.class))
                    .isNotEmpty()
                    .allSatisfy(
                            item ->
                                    assertThat(item.get("unitPrice"))
                                            .isInstanceOf(Decimal128.class));
            assertThat(order.get("total")).isInstanceOf(Decimal128.class);
        }
    }

    @Test
    void customersHaveAscendingObjectIdsUnicodeAndNulls() {
        List<Document> customers =
                list(SampleDataSeeder.documents(SampleDataSeeder.CUSTOMERS, 3L, 500));
        ObjectId previous = null;
        boolean nonLatin = false;
        boolean nullPhone = false;
        Set<String> emails = new HashSet<>();
        for (Document customer : customers) {
            ObjectId id = customer.getObjectId("_id");
            if (previous != null) {
                assertThat(id).isGreaterThan(previous);
            }
            previous = id;
            nonLatin |= customer.getString("name").codePoints().anyMatch(cp -> cp > 0x2E80);
            nullPhone |= customer.containsKey("phone") && customer.get("phone") == null;
            assertThat(customer.get("balance")).isInstanceOf(Decimal128.class);
            assertThat(customer.get("address", Document.class).get("geo"))
                    .isInstanceOf(Document.class);
            assertThat(customer.get("active")).isInstanceOf(Boolean.class);
            assertThat(customer.get("createdAt")).isInstanceOf(Date.class);
            emails.add(customer.getString("email"));
        }
        assertThat(nonLatin).as("CJK/emoji names").isTrue();
        assertThat(nullPhone).as("null values").isTrue();
        assertThat(emails).hasSize(customers.size());
    }

    @Test
    void eventsMixEightIdTypesWithoutNumericClashes() {
        List<Document> events = list(SampleDataSeeder.documents(SampleDataSeeder.EVENTS, 5L, 800));
        Set<Class<?>> types = new HashSet<>();
        Set<Double> numericIds = new HashSet<>();
        for (Document event : events) {
            Object id = event.get("_id");
            types.add(id.getClass());
            if (id instanceof Number) {
                assertThat(numericIds.add(((Number) id).doubleValue()))
                        .as("numeric id %s", id)
                        .isTrue();
            }
            if (id instanceof BsonBinary) {
                assertThat(((BsonBinary) id).getType())
                        .isEqualTo(BsonBinarySubType.UUID_STANDARD.getValue());
            }
        }
        assertThat(types)
                .containsExactlyInAnyOrder(
                        ObjectId.class,
                        Integer.class,
                        Long.class,
                        Double.class,
                        String.class,
                        BsonBinary.class,
                        Document.class,
                        Date.class);
    }

    @Test
    void documentsAreHalfToOneKilobyte() {
        for (String collection :
                List.of(
                        SampleDataSeeder.CUSTOMERS,
                        SampleDataSeeder.ORDERS,
                        SampleDataSeeder.EVENTS)) {
            long total = 0;
            int n = 1000;
            Iterator<Document> it = SampleDataSeeder.documents(collection, 11L, n);
            while (it.hasNext()) {
                total += new RawBsonDocument(it.next(), CODEC).getByteBuffer().remaining();
            }
            assertThat(total / n).as("average BSON size of %s", collection).isBetween(450L, 1100L);
        }
    }

    @Test
    void planScalesAndListsAllCollections() {
        SeedPlan plan = SeedPlan.defaults().scale(0.01);
        assertThat(plan.orders()).isEqualTo(2000);
        assertThat(plan.customers()).isEqualTo(200);
        assertThat(plan.counts())
                .containsExactly(
                        entry(SampleDataSeeder.CUSTOMERS, 200),
                        entry(SampleDataSeeder.ORDERS, 2000),
                        entry(SampleDataSeeder.EVENTS, 200),
                        entry(SampleDataSeeder.EMPTY_COLLECTION, 0),
                        entry(SampleDataSeeder.SINGLETON, 1));
        assertThat(SeedPlan.defaults().scale(0.000001).orders()).isEqualTo(1);
        assertThat(SeedPlan.defaults().scale(0).orders()).isZero();
        assertThat(list(SampleDataSeeder.documents(SampleDataSeeder.EMPTY_COLLECTION, plan)))
                .isEmpty();
        assertThat(list(SampleDataSeeder.documents(SampleDataSeeder.SINGLETON, plan))).hasSize(1);
        assertThatThrownBy(() -> plan.scale(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static java.util.Map.Entry<String, Integer> entry(String key, int value) {
        return java.util.Map.entry(key, value);
    }

    private static List<Document> list(Iterator<Document> it) {
        List<Document> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static List<RawBsonDocument> bytes(List<Document> docs) {
        List<RawBsonDocument> out = new ArrayList<>();
        for (Document doc : docs) {
            out.add(new RawBsonDocument(doc, CODEC));
        }
        return out;
    }
}
