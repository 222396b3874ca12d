package io.wsrouter.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation's relative links resolve: every {@code [text](path)} and {@code [text](path#anchor)}
 * in README.md, CHANGELOG.md and docs/*.md names a file of the repository, and an anchor into a Markdown
 * file names one of its headings (GitHub's slugs). Links inside code are not links and are skipped.
 */
class DocumentationLinksTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

    @Test
    void everyRelativeLinkInTheDocumentationPointsToAFileAndHeadingThatExist() throws IOException {
        List<Path> pages = documentationPages();
        assertThat(pages).as("README.md, CHANGELOG.md and docs pages").hasSizeGreaterThan(3);

        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            broken.addAll(brokenLinks(page, Files.readString(page)));
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void aLinkToAMissingFileOrHeadingIsReported() {
        Path page = ROOT.resolve("docs/example.md");
        String text = """
                # Example
                [ok](../README.md) [ok too](../README.md#quick-start) [self](#example)
                [no file](missing.md) [no heading](../README.md#no-such-heading) [no anchor](#nowhere)
                ```
                [inside code](not-checked.md)
                ```
                `[inline code](not-checked-either.md)` [web](https://example.com/x.md)
                """;

        assertThat(brokenLinks(page, text)).containsExactly(
                "docs/example.md -> missing.md (no such file)",
                "docs/example.md -> ../README.md#no-such-heading (no such heading)",
                "docs/example.md -> #nowhere (no such heading)");
    }

    @Test
    void theReadmeIsTheFrontDoorOfAtMost250LinesAndEveryDocsPageLinksBackToIt() throws IOException {
        assertThat(Files.readAllLines(ROOT.resolve("README.md"))).as("README.md lines").hasSizeLessThanOrEqualTo(250);
        for (Path page : documentationPages()) {
            if (page.getParent().equals(ROOT.resolve("docs"))) {
                assertThat(Files.readString(page)).as(page + " links back to the README").contains("](../README.md)");
            }
        }
    }

    private static List<Path> documentationPages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The relative links of {@code text} (the content of {@code page}) whose file or heading is missing. */
    static List<String> brokenLinks(Path page, String text) {
        List<String> broken = new ArrayList<>();
        String name = ROOT.relativize(page).toString().replace('\\', '/');
        for (String target : links(text)) {
            if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                continue;   // http:, https:, mailto:: not a file of the repository
            }
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? null : target.substring(hash + 1);
            Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                if (!(file.isEmpty() && resolved.equals(page))) {
                    broken.add(name + " -> " + target + " (no such file)");
                    continue;
                }
            }
            if (anchor != null && resolved.toString().endsWith(".md")) {
                String content = resolved.equals(page) ? text : read(resolved);
                if (!headingSlugs(content).contains(anchor)) {
                    broken.add(name + " -> " + target + " (no such heading)");
                }
            }
        }
        return broken;
    }

    /** The link targets outside fenced code blocks and inline code spans. */
    private static List<String> links(String text) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : text.split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** GitHub's anchors for the headings of a Markdown text (duplicates get -1, -2, ...). */
    static Set<String> headingSlugs(String text) {
        Set<String> slugs = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : text.split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced || !line.matches("^#{1,6} .*")) {
                continue;
            }
            String slug = line.replaceFirst("^#{1,6} ", "").strip().toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}_ -]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            slugs.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return slugs;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
