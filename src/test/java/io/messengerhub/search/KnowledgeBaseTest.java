package io.messengerhub.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Knowledge search over the articles operators ship in config/knowledge, with the shipped compound parts: German
 * and English queries, umlauts written either way, plurals and compounds; and the operator's edits.
 */
class KnowledgeBaseTest {

    private static final Path SHIPPED = Path.of("config/knowledge");
    private static final Path PARTS = Path.of("config/search/german-compound-parts.txt");

    private final KnowledgeBase shipped = new KnowledgeBase(SHIPPED, PARTS);

    @Test
    void shouldFindGermanArticlesWhateverWayTheUmlautIsWritten() {
        assertThat(firstId("Rückerstattung")).isEqualTo("ruecksendung-erstattung");
        assertThat(firstId("Rueckerstattung")).isEqualTo("ruecksendung-erstattung");
        assertThat(firstId("ruckerstattung")).isEqualTo("ruecksendung-erstattung");
        assertThat(firstId("verspätet")).isEqualTo("lieferung-verspaetet");
        assertThat(firstId("verspaetet")).isEqualTo("lieferung-verspaetet");
    }

    @Test
    void shouldMatchPluralsInBothLanguages() {
        assertThat(firstId("Rechnungen")).isEqualTo("rechnung-zahlung");
        assertThat(firstId("Mahngebühr")).isEqualTo("rechnung-zahlung");
        assertThat(firstId("refunds")).isEqualTo("returns-refunds");
        assertThat(firstId("parcels")).isEqualTo("late-delivery");
        assertThat(firstId("invoices")).isEqualTo("billing-payments");
    }

    @Test
    void shouldFindCompoundsByTheirPartsAndPartsInsideCompounds() {
        // "Erstattung" appears in the article only inside "Rückerstattung" and "Rückerstattungsantrag".
        assertThat(firstId("Erstattung")).isEqualTo("ruecksendung-erstattung");
        // "Paketdienst", "Ersatzlieferung", "Sendungsverfolgung": asking for the part finds the compound.
        assertThat(firstId("Paket Ersatz")).isEqualTo("lieferung-verspaetet");
        // A compound the article never uses, found through its parts.
        assertThat(firstId("Zahlungsfrist Rechnungsbetrag")).isEqualTo("rechnung-zahlung");
    }

    @Test
    void shouldRankTitleAndTagMatchesFirstAndFindNothingForUnrelatedWords() {
        assertThat(firstId("Passwort vergessen")).isEqualTo("passwort-zuruecksetzen");
        assertThat(shipped.search("Quantenphysik Raumschiff", 5)).isEmpty();
    }

    @Test
    void shouldShareTitleShortTextAndLink() {
        KnowledgeArticle article = shipped.article("returns-refunds").orElseThrow();
        assertThat(article.shareText()).isEqualTo("Returns and refunds\n\nYou can return items within 30 days. Refunds reach your"
                + " original payment method within 5 business days after we receive the return.\n\nhttps://help.example.com/en/returns");
        // Without a summary in the front matter, the first paragraph (without the heading) is the short text.
        assertThat(shipped.article("late-delivery").orElseThrow().summary()).startsWith("Most parcels arrive within 2 to 4 business days.");
    }

    @Test
    void shouldPickUpAnOperatorsEditsAndKeepTheArticlesWhenAFileIsBroken(@TempDir Path directory) throws Exception {
        write(directory.resolve("vouchers.md"), "---\ntitle: Gutscheine einlösen\ntags: [gutschein]\n---\nGutscheincodes gibt man im Warenkorb ein.\n", 1);
        var knowledge = new KnowledgeBase(directory, PARTS);
        assertThat(knowledge.search("Gutschein", 5)).extracting(KnowledgeArticle.Hit::id).containsExactly("vouchers");

        write(directory.resolve("warranty.md"), "---\ntitle: Warranty claims\n---\nEvery device has a two-year warranty.\n", 2);
        assertThat(knowledge.reloadIfChanged()).isTrue();
        assertThat(knowledge.search("warranties", 5)).extracting(KnowledgeArticle.Hit::id).containsExactly("warranty");

        write(directory.resolve("broken.md"), "---\ntitle: [unclosed\n---\nbody\n", 3);
        assertThat(knowledge.reloadIfChanged()).isFalse();
        assertThat(knowledge.search("warranty", 5)).extracting(KnowledgeArticle.Hit::id).containsExactly("warranty");
        assertThat(knowledge.article("broken")).isEmpty();
    }

    @Test
    void shouldNameTheFileAndTheProblem(@TempDir Path directory) throws Exception {
        var knowledge = new KnowledgeBase(directory, PARTS);
        Path untitled = directory.resolve("untitled.md");
        write(untitled, "---\ntags: [x]\n---\nbody\n", 1);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> knowledge.read(untitled)))
                .isInstanceOf(KnowledgeFileException.class).hasMessage("untitled.md: the front matter needs a title");
        Path noFrontMatter = directory.resolve("plain.md");
        write(noFrontMatter, "# Just Markdown\n", 1);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> knowledge.read(noFrontMatter)))
                .hasMessageStartingWith("plain.md: line 1:");
        Path badLink = directory.resolve("link.md");
        write(badLink, "---\ntitle: T\nlink: javascript:alert(1)\n---\n", 1);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> knowledge.read(badLink)))
                .hasMessageContaining("link must be an http(s) address");
        Path badYaml = directory.resolve("yaml.md");
        write(badYaml, "---\ntitle: T\ntags: [a\n---\n", 1);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> knowledge.read(badYaml)))
                .hasMessageStartingWith("yaml.md: line ");
    }

    private String firstId(String query) {
        List<KnowledgeArticle.Hit> hits = shipped.search(query, 3);
        assertThat(hits).as("hits for '%s'", query).isNotEmpty();
        return hits.get(0).id();
    }

    /** Writes a file with a distinct modification time, as an editor saving it seconds apart would. */
    private static void write(Path file, String content, int second) throws Exception {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second)));
    }
}
