package io.wsrouter.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The gate evaluates a few legacy regexes in a linear-time form (the originals backtrack
 * quadratically or worse on long runs). These tests compare each form with the legacy regex, compiled
 * as written, on many random texts over an alphabet made of the characters those regexes care about.
 */
class GatePatternsEquivalenceTest {

    private static final String ALPHABET = "aAbZ_1٣9/.-:\\ =\"\té\nxyamlcofnigtrpsuvhdbkeSELCTwz";
    private static final int SAMPLES = 30_000;

    private static Pattern legacy(String regex, boolean ci) {
        return Pattern.compile(regex, ci ? GatePatterns.CI : GatePatterns.CS);
    }

    private static String random(Random rnd, int maxLength) {
        int n = rnd.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    @Test
    void errorCodesCountLikeTheLegacyRegex() {
        Pattern old = legacy("\\b[A-Z_]+_[A-Z0-9_]+\\b|\\b[A-Z]{3,}_\\d+\\b", true);
        Pattern now = GatePatterns.ERROR_PATTERNS.get("error_codes");
        Random rnd = new Random(1);
        for (int i = 0; i < SAMPLES; i++) {
            String s = random(rnd, 24);
            assertThat(GatePatterns.count(now, s)).as("error_codes on [%s]", s).isEqualTo(GatePatterns.count(old, s));
        }
    }

    @Test
    void configurationKeysCountLikeTheLegacyRegex() {
        Pattern old = legacy("\\b\\w+_\\w+\\s*[=:]\\s*(?:true|false|\\d+|\"[^\"]*\")", true);
        Pattern now = GatePatterns.ERROR_PATTERNS.get("configuration_keys");
        Random rnd = new Random(2);
        for (int i = 0; i < SAMPLES; i++) {
            String s = random(rnd, 24);
            assertThat(GatePatterns.count(now, s)).as("configuration_keys on [%s]", s).isEqualTo(GatePatterns.count(old, s));
        }
    }

    @Test
    void filePathsCountLikeTheLegacyRegex() {
        Pattern old = legacy("/[\\w\\-./]+\\.\\w+|[A-Z]:\\\\[\\w\\\\\\-.]+\\.\\w+", true);
        Random rnd = new Random(3);
        for (int i = 0; i < SAMPLES; i++) {
            String s = random(rnd, 24);
            assertThat(GatePatterns.countFilePaths(s)).as("file_paths on [%s]", s).isEqualTo(GatePatterns.count(old, s));
        }
    }

    @Test
    void stackTracesCountLikeTheLegacyRegex() {
        Pattern old = legacy("(at\\s+[\\w.]+\\([^)]+\\)|Traceback|Exception in|Stack trace)", true);
        String[] words = {"at ", "a.b", "(", ")", "x", " ", "\n", "Traceback", "exception in", "STACK TRACE", "at\t"};
        Random rnd = new Random(6);
        for (int i = 0; i < SAMPLES; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(10);
            for (int k = 0; k < n; k++) {
                sb.append(words[rnd.nextInt(words.length)]);
            }
            String s = sb.toString();
            assertThat(GatePatterns.countStackTraces(s)).as("stack traces in [%s]", s).isEqualTo(GatePatterns.count(old, s));
        }
    }

    @Test
    void pathKindsMatchWhereTheLegacyRegexesMatch() {
        Pattern slash = legacy("/[\\w\\-./]+\\.\\w+", false);
        Pattern config = legacy("[\\w\\-./]+\\.(?:yaml|yml|py|json|xml|conf|cfg|ini)\\b", false);
        Pattern configNow = GatePatterns.OTHER_PATH_PATTERNS.get(2);
        Random rnd = new Random(4);
        for (int i = 0; i < SAMPLES; i++) {
            String s = random(rnd, 24);
            assertThat(GatePatterns.findSlashPath(s, 0) != null).as("slash path in [%s]", s).isEqualTo(slash.matcher(s).find());
            String withExtension = s + (rnd.nextBoolean() ? ".yaml" : ".conf") + random(rnd, 3);
            for (String t : List.of(s, withExtension)) {
                assertThat(configNow.matcher(t).find()).as("config file in [%s]", t).isEqualTo(config.matcher(t).find());
            }
        }
    }

    @Test
    void inOrderStepsDecideLikeTheLegacyRegexes() {
        Pattern beforeAfter = legacy("(from|before).*\\d+.*to.*\\d+", true);
        Pattern circular = legacy("to improve.*you should improve|optimize.*by optimizing|better.*through better"
                + "|enhance.*by enhancing|for better.*use better|improve.*to improve|increase.*by increasing"
                + "|reduce.*by reducing|fix.*by fixing", true);
        String[] words = {"from ", "before ", "to ", "1", "٣", "\n", "x", "improve ", "to improve", "you should improve",
            "optimize", "by optimizing", "fix", "by fixing", "better ", "through better", " ", "TO", "From"};
        Random rnd = new Random(5);
        for (int i = 0; i < SAMPLES; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(8);
            for (int k = 0; k < n; k++) {
                sb.append(words[rnd.nextInt(words.length)]);
            }
            String s = sb.toString();
            boolean steps = GatePatterns.BEFORE_AFTER.stream().anyMatch(st -> GatePatterns.inOrderOnOneLine(st, s));
            assertThat(steps).as("before/after in [%s]", s).isEqualTo(beforeAfter.matcher(s).find());
            boolean circ = GatePatterns.CIRCULAR.stream().anyMatch(st -> GatePatterns.inOrderOnOneLine(st, s));
            assertThat(circ).as("circular in [%s]", s).isEqualTo(circular.matcher(s).find());
        }
    }

    @Test
    void wordCharactersAreJavasUnicodeWordClass() {
        Pattern w = Pattern.compile("\\w", GatePatterns.CS);
        for (int cp = 0; cp < 0x3000; cp++) {
            if (Character.isSurrogate((char) cp)) {
                continue;
            }
            assertThat(GatePatterns.isWord(cp)).as("U+%04X", cp).isEqualTo(w.matcher(new String(Character.toChars(cp))).matches());
        }
    }
}
