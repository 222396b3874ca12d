package io.wsrouter.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContainedWordsTest {

    @Test
    void countsTheWordsThatStringContainsFinds() {
        Random rnd = new Random(7);
        String alphabet = "abAé\u0130 ";
        for (int i = 0; i < 20_000; i++) {
            String text = random(rnd, alphabet, 30);
            LinkedHashSet<String> words = new LinkedHashSet<>();
            int n = rnd.nextInt(8);
            for (int k = 0; k < n; k++) {
                String w = random(rnd, alphabet, 6);
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
            List<String> list = new ArrayList<>(words);
            long expected = list.stream().filter(text::contains).count();
            assertThat(ContainedWords.count(list, text)).as("%s in [%s]", list, text).isEqualTo(expected);
        }
    }

    @Test
    void nestedAndOverlappingWordsAreEachFoundOnce() {
        assertThat(ContainedWords.count(List.of("abcd", "bc", "cde", "abcde", "zz"), "xxabcdexxabcde")).isEqualTo(4);
        assertThat(ContainedWords.count(List.of("aaaaab", "aaaaa"), "a".repeat(100))).isEqualTo(1);
        assertThat(ContainedWords.count(List.of("latency"), "")).isZero();
    }

    private static String random(Random rnd, String alphabet, int max) {
        int n = rnd.nextInt(max + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
