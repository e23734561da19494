package io.mongoresume.job.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The words, names and places the sample documents are made of, and how they are picked. */
final class SampleVocabulary {

    private SampleVocabulary() {}

    static final String[] FIRST_NAMES = {
        "José",
        "Zoë",
        "Björk",
        "François",
        "Łukasz",
        "Søren",
        "Ana",
        "Mia",
        "Noah",
        "Liam",
        "Olivia",
        "Ömer",
        "Chloé",
        "Renée",
        "Mateo",
        "Aoife",
        "Dvořák",
        "Ingrid"
    };
    static final String[] LAST_NAMES = {
        "Álvarez",
        "Ørsted",
        "Guðmundsdóttir",
        "Müller",
        "Nguyễn",
        "O'Brien",
        "Smith",
        "García",
        "Kowalski",
        "Rossi",
        "Silva",
        "Żółć",
        "Ångström",
        "Da Costa"
    };

    /** Whole names in other scripts (and emoji), used for one customer in five. */
    static final String[] WORLD_NAMES = {
        "李小龙", "田中 太郎", "김민준", "Анна Каренина", "Ολυμπία Παπαδοπούλου", "محمد الأحمد",
        "दीपिका पादुकोण", "🦄 Unicorn Fan", "Zoë 🎉 Ørsted", "Nguyễn Thị Minh Khai", "שרה כהן",
                "王芳 👩‍💻"
    };

    static final String[][] CITIES = {
        {"Zürich", "CH", "8001"}, {"São Paulo", "BR", "01000-000"}, {"Kraków", "PL", "30-001"},
        {"東京", "JP", "100-0001"}, {"München", "DE", "80331"}, {"Reykjavík", "IS", "101"},
        {"Montréal", "CA", "H2X 1Y4"}, {"Springfield", "US", "62701"}, {"Lyon", "FR", "69001"},
        {"서울", "KR", "04524"}, {"Αθήνα", "GR", "105 57"}, {"Москва", "RU", "101000"}
    };
    static final String[] STREETS = {
        "Bahnhofstrasse", "Rua Augusta", "ul. Floriańska", "Main Street", "Rue de la République",
        "Laugavegur", "Maximilianstraße", "銀座通り", "Rue Saint-Denis", "Ermou"
    };
    static final String[] TAGS = {
        "vip",
        "newsletter",
        "beta",
        "churn-risk",
        "wholesale",
        "gift",
        "eco",
        "mobile",
        "b2b",
        "früh-bucher",
        "人気",
        "🔥hot"
    };
    static final String[] WORDS = {
        "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do",
        "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua",
                "café",
        "naïve", "façade", "über", "straße", "日本語", "données", "niño"
    };
    static final String[] PRODUCTS = {
        "Espresso beans 1 kg", "Pour-over kettle", "Ceramic mug", "Grinder (burr)",
                "Filter papers ×100",
        "Matcha 抹茶 30 g", "Crème brûlée torch", "Moka pot", "Cold-brew jar", "Tasting flight"
    };
    static final String[] ORDER_STATUS = {
        "new", "paid", "packed", "shipped", "delivered", "cancelled", "refunded"
    };
    static final String[] SHIPPING = {"standard", "express", "pickup", "drone"};
    static final String[] EVENT_TYPES = {
        "login", "logout", "page_view", "add_to_cart", "checkout", "error", "search", "rating"
    };
    static final String[] LANGUAGES = {"en", "de", "fr", "pt-BR", "ja", "ko", "zh-Hans", "pl"};

    static List<String> tags(SplittableRandom rnd, int min, int max) {
        int n = min + rnd.nextInt(max - min + 1);
        List<String> tags = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tags.add(pick(rnd, TAGS));
        }
        return tags;
    }

    static String pickTag(SplittableRandom rnd) {
        return pick(rnd, TAGS);
    }

    static String words(SplittableRandom rnd, int min, int max) {
        int n = min + rnd.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(pick(rnd, WORDS));
        }
        return sb.toString();
    }

    static String pick(SplittableRandom rnd, String[] values) {
        return values[rnd.nextInt(values.length)];
    }
}
