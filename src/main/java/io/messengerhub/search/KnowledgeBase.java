package io.messengerhub.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The knowledge articles operators keep as Markdown files ({@code config/knowledge/*.md}, a YAML front matter with
 * {@code title}, {@code tags}, {@code language}, {@code link}, optional {@code summary}), searchable in German and
 * English. The index lives in memory and is rebuilt when the files change (the knowledge-reload route asks); a
 * broken file is refused with its name and line, and the articles found before stay searchable.
 */
@Component("knowledgeBase")
public class KnowledgeBase {

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeBase.class);
    private static final Map<String, Float> FIELDS = Map.of(
            "title" + SearchAnalyzers.GERMAN_SUFFIX, 3f, "title" + SearchAnalyzers.ENGLISH_SUFFIX, 3f,
            "tags", 2f,
            "body" + SearchAnalyzers.GERMAN_SUFFIX, 1f, "body" + SearchAnalyzers.ENGLISH_SUFFIX, 1f);
    private static final int SUMMARY_LENGTH = 280;
    /** Lucene sizes its result queue by the number asked for; a client cannot ask for millions. */
    static final int MAX_HITS = 100;

    private final Path directory;
    private final Analyzer analyzer;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private volatile Loaded loaded = new Loaded(Map.of(), null, "");

    public KnowledgeBase(@Value("${hub.knowledge.dir}") Path directory,
                         @Value("${hub.search.compound-parts-file}") Path compoundParts) {
        this.directory = directory;
        this.analyzer = SearchAnalyzers.perField(SearchAnalyzers.readCompoundParts(compoundParts), List.of("title", "body"));
        reloadIfChanged();
    }

    /** Rebuilds the index when an article was added, changed or removed; returns whether it did. */
    public synchronized boolean reloadIfChanged() {
        List<Path> files;
        String fingerprint;
        try {
            files = articleFiles();
            fingerprint = fingerprint(files);
        } catch (IOException e) {
            files = null;
            fingerprint = "unreadable:" + e.getMessage();
        }
        if (fingerprint.equals(loaded.fingerprint())) {
            return false;
        }
        try {
            if (files == null) {
                throw new KnowledgeFileException("cannot read " + directory + ": " + fingerprint.substring("unreadable:".length()));
            }
            Map<String, KnowledgeArticle> articles = readArticles(files);
            loaded = new Loaded(articles, index(articles.values()), fingerprint);
            LOG.info("Knowledge base: {} articles from {}", articles.size(), directory);
            return true;
        } catch (KnowledgeFileException e) {
            LOG.error("Knowledge base not reloaded, the {} articles loaded before stay: {}", loaded.articles().size(), e.getMessage());
            // Remember the broken state so the error is logged once per change, not on every check.
            loaded = new Loaded(loaded.articles(), loaded.searcher(), fingerprint);
            return false;
        }
    }

    public Optional<KnowledgeArticle> article(String id) {
        return Optional.ofNullable(id == null ? null : loaded.articles().get(id));
    }

    /** The articles that best match the words, best first; an empty query lists articles by title. */
    public List<KnowledgeArticle.Hit> search(String words, int limit) {
        Loaded current = loaded;
        if (current.searcher() == null) {
            return List.of();
        }
        Query query = words == null || words.isBlank() ? new MatchAllDocsQuery() : TextQueries.parse(analyzer, FIELDS, words);
        try {
            var hits = new ArrayList<KnowledgeArticle.Hit>();
            for (ScoreDoc found : current.searcher().search(query, Math.min(Math.max(1, limit), MAX_HITS)).scoreDocs) {
                KnowledgeArticle article = current.articles().get(current.searcher().storedFields().document(found.doc).get("id"));
                hits.add(new KnowledgeArticle.Hit(article.id(), article.title(), article.summary(), article.link(),
                        article.tags(), article.language(), found.score));
            }
            if (words == null || words.isBlank()) {
                hits.sort(Comparator.comparing(KnowledgeArticle.Hit::title, String.CASE_INSENSITIVE_ORDER));
            }
            return hits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The article files, by name; none when the folder does not exist. */
    private List<Path> articleFiles() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().toList();
        }
    }

    private Map<String, KnowledgeArticle> readArticles(List<Path> files) {
        var articles = new LinkedHashMap<String, KnowledgeArticle>();
        for (Path file : files) {
            KnowledgeArticle article = read(file);
            articles.put(article.id(), article);
        }
        return articles;
    }

    KnowledgeArticle read(Path file) {
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - ".md".length());
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new KnowledgeFileException(name + ": cannot be read as UTF-8 text (" + e.getMessage() + ")", e);
        }
        if (!content.startsWith("---\n")) {
            throw new KnowledgeFileException(name + ": line 1: an article starts with a front matter between '---' lines (title, tags, link)");
        }
        int end = content.indexOf("\n---", 3);
        if (end < 0) {
            throw new KnowledgeFileException(name + ": the front matter has no closing '---' line");
        }
        JsonNode front;
        try {
            front = yaml.readTree(content.substring(4, end + 1));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr() + 1;
            throw new KnowledgeFileException(name + ": line " + line + ": " + e.getOriginalMessage(), e);
        }
        if (front == null || !front.isObject() || front.path("title").asText("").isBlank()) {
            throw new KnowledgeFileException(name + ": the front matter needs a title");
        }
        var tags = new ArrayList<String>();
        front.path("tags").forEach(tag -> tags.add(tag.asText()));
        String body = content.substring(content.indexOf('\n', end + 1) + 1).strip();
        String summary = front.path("summary").asText("").isBlank() ? firstParagraph(body) : front.path("summary").asText().strip();
        String language = front.path("language").asText("").isBlank() ? null : front.path("language").asText().toLowerCase(Locale.ROOT);
        String link = front.path("link").asText("").isBlank() ? null : front.path("link").asText().strip();
        if (link != null && !link.startsWith("https://") && !link.startsWith("http://")) {
            throw new KnowledgeFileException(name + ": link must be an http(s) address, not '" + link + "'");
        }
        return new KnowledgeArticle(id, front.path("title").asText().strip(), List.copyOf(tags), language, link, summary, body);
    }

    /** The first paragraph of the body without Markdown marks, cut at a word near {@value #SUMMARY_LENGTH} characters. */
    static String firstParagraph(String markdown) {
        String paragraph = Stream.of(markdown.split("\n\\s*\n"))
                .map(String::strip)
                .filter(p -> !p.isEmpty() && !p.startsWith("#"))
                .findFirst().orElse("");
        String plain = paragraph.replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1").replaceAll("[*_`>]", "").replaceAll("\\s+", " ").strip();
        if (plain.length() <= SUMMARY_LENGTH) {
            return plain;
        }
        int cut = plain.lastIndexOf(' ', SUMMARY_LENGTH);
        return plain.substring(0, cut > 0 ? cut : SUMMARY_LENGTH) + " …";
    }

    private IndexSearcher index(Collection<KnowledgeArticle> articles) {
        var memory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(memory, new IndexWriterConfig(analyzer))) {
            for (KnowledgeArticle article : articles) {
                var document = new Document();
                document.add(new StringField("id", article.id(), Field.Store.YES));
                for (String suffix : Set.of(SearchAnalyzers.GERMAN_SUFFIX, SearchAnalyzers.ENGLISH_SUFFIX)) {
                    document.add(new TextField("title" + suffix, article.title(), Field.Store.NO));
                    document.add(new TextField("body" + suffix, article.body(), Field.Store.NO));
                }
                document.add(new TextField("tags", String.join(" ", article.tags()), Field.Store.NO));
                writer.addDocument(document);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new IndexSearcher(DirectoryReader.open(memory));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names, sizes and modification times of the article files: what "changed" means. */
    private String fingerprint(List<Path> files) throws IOException {
        if (!Files.isDirectory(directory)) {
            return "none";
        }
        var text = new StringBuilder();
        for (Path file : files) {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            text.append(file.getFileName()).append(':').append(attributes.size()).append(':')
                    .append(attributes.lastModifiedTime().toMillis()).append(';');
        }
        return text.toString();
    }

    private record Loaded(Map<String, KnowledgeArticle> articles, IndexSearcher searcher, String fingerprint) {
    }
}
