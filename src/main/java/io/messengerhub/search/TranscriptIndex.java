package io.messengerhub.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.messengerhub.conversation.Conversation;
import jakarta.annotation.PreDestroy;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The full-text index of archived transcripts, on disk next to the archive. Each closed conversation is one document:
 * its transcript text in German and English analysis, and the fields searches filter on. Every change is committed
 * before it returns, so what the archive route indexed survives a restart.
 */
@Component("transcriptIndex")
public class TranscriptIndex {

    private static final Map<String, Float> FIELDS = Map.of(
            "text" + SearchAnalyzers.GERMAN_SUFFIX, 1f, "text" + SearchAnalyzers.ENGLISH_SUFFIX, 1f);
    private static final int SNIPPET_LENGTH = 200;

    private final Analyzer analyzer;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Archived archived;

    /**
     * Which of the indexed conversations are still archived in the hub's database. Every hub instance keeps an index
     * of its own; one that missed an erasure or a retention run of another instance finds out here, before it shows
     * the transcript.
     */
    public interface Archived {

        /** Those of the ids whose conversation is still closed and kept. */
        Set<String> stillArchived(Collection<String> conversationIds);
    }

    /** An index on its own, for tests: every indexed transcript counts as archived. */
    public TranscriptIndex(Path directory, Path compoundParts) throws IOException {
        this(directory, compoundParts, ids -> Set.copyOf(ids));
    }

    @Autowired
    public TranscriptIndex(@Value("${hub.transcripts.index-dir}") Path directory,
                           @Value("${hub.search.compound-parts-file}") Path compoundParts, Archived archived) throws IOException {
        this.analyzer = SearchAnalyzers.perField(SearchAnalyzers.readCompoundParts(compoundParts), List.of("text"));
        this.writer = new IndexWriter(FSDirectory.open(directory), new IndexWriterConfig(analyzer));
        this.writer.commit();
        this.searchers = new SearcherManager(writer, null);
        this.archived = archived;
    }

    /** Indexes (or re-indexes) a closed conversation with its readable transcript. */
    public void index(Conversation conversation, String transcriptText) {
        var document = new Document();
        document.add(new StringField("id", conversation.id(), Field.Store.YES));
        keyword(document, "psid", conversation.customerPsid());
        keyword(document, "contactId", conversation.contactId());
        keyword(document, "agent", conversation.agentId());
        keyword(document, "page", conversation.pageId());
        keyword(document, "queue", conversation.queue());
        keyword(document, "status", conversation.state().name().toLowerCase(Locale.ROOT));
        if (conversation.customer() != null) {
            document.add(new StoredField("customerName", conversation.customer().fullName()));
        }
        Instant closed = conversation.closedOrLastInteraction();
        document.add(new LongPoint("closedAt", closed.toEpochMilli()));
        document.add(new NumericDocValuesField("closedAt", closed.toEpochMilli()));
        document.add(new StoredField("closedAt", closed.toEpochMilli()));
        document.add(new StoredField("openedAt", conversation.openedAt().toEpochMilli()));
        document.add(new TextField("text" + SearchAnalyzers.GERMAN_SUFFIX, transcriptText, Field.Store.NO));
        document.add(new TextField("text" + SearchAnalyzers.ENGLISH_SUFFIX, transcriptText, Field.Store.NO));
        // Kept for the snippet; erasure and retention delete the whole document.
        document.add(new StoredField("text", transcriptText));
        change(() -> writer.updateDocument(new Term("id", conversation.id()), document));
    }

    public List<TranscriptSearch.Hit> search(TranscriptSearch search) {
        var query = new BooleanQuery.Builder();
        boolean hasText = search.text() != null && !search.text().isBlank();
        query.add(hasText ? TextQueries.parse(analyzer, FIELDS, search.text()) : new MatchAllDocsQuery(), hasText ? Occur.MUST : Occur.FILTER);
        filter(query, "psid", search.psid());
        filter(query, "contactId", search.contactId());
        filter(query, "agent", search.agent());
        filter(query, "page", search.page());
        filter(query, "queue", search.queue());
        filter(query, "status", search.status() == null ? null : search.status().toLowerCase(Locale.ROOT));
        if (search.from() != null || search.to() != null) {
            long from = search.from() == null ? Long.MIN_VALUE : search.from().toEpochMilli();
            long to = search.to() == null ? Long.MAX_VALUE : search.to().toEpochMilli() - 1;
            query.add(LongPoint.newRangeQuery("closedAt", from, to), Occur.FILTER);
        }
        Set<String> wanted = hasText ? queryTerms(search.text()) : Set.of();
        List<TranscriptSearch.Hit> indexed = withSearcher(searcher -> {
            ScoreDoc[] found = hasText
                    ? searcher.search(query.build(), search.limit()).scoreDocs
                    : searcher.search(query.build(), search.limit(), new Sort(new SortField("closedAt", SortField.Type.LONG, true))).scoreDocs;
            var hits = new ArrayList<TranscriptSearch.Hit>();
            for (ScoreDoc hit : found) {
                Document document = searcher.storedFields().document(hit.doc);
                String id = document.get("id");
                hits.add(new TranscriptSearch.Hit(id, document.get("psid"), document.get("contactId"), document.get("customerName"),
                        document.get("agent"), document.get("page"), document.get("queue"), document.get("status"),
                        Instant.ofEpochMilli(document.getField("openedAt").numericValue().longValue()),
                        Instant.ofEpochMilli(document.getField("closedAt").numericValue().longValue()),
                        snippet(document.get("text"), wanted), Float.isNaN(hit.score) ? 0 : hit.score,
                        "/api/transcripts/" + id));
            }
            return hits;
        });
        return withoutGone(indexed);
    }

    /** The hits whose conversations are still archived; the others leave this index now. */
    private List<TranscriptSearch.Hit> withoutGone(List<TranscriptSearch.Hit> hits) {
        if (hits.isEmpty()) {
            return hits;
        }
        Set<String> kept = archived.stillArchived(hits.stream().map(TranscriptSearch.Hit::conversationId).toList());
        List<String> gone = hits.stream().map(TranscriptSearch.Hit::conversationId).filter(id -> !kept.contains(id)).toList();
        if (gone.isEmpty()) {
            return hits;
        }
        delete(gone);
        return hits.stream().filter(hit -> kept.contains(hit.conversationId())).toList();
    }

    /** The ids of the indexed conversations of these customers: what an erasure must also remove elsewhere. */
    public List<String> conversationsOf(Collection<String> psids) {
        if (psids.isEmpty()) {
            return List.of();
        }
        var query = new BooleanQuery.Builder();
        psids.forEach(psid -> query.add(new TermQuery(new Term("psid", psid)), Occur.SHOULD));
        return withSearcher(searcher -> {
            var ids = new ArrayList<String>();
            for (ScoreDoc hit : searcher.search(query.build(), Integer.MAX_VALUE / 2).scoreDocs) {
                ids.add(searcher.storedFields().document(hit.doc).get("id"));
            }
            return ids;
        });
    }

    /** Removes the conversations' transcripts from the index; returns how many were indexed. */
    public int delete(Collection<String> conversationIds) {
        if (conversationIds.isEmpty()) {
            return 0;
        }
        var query = new BooleanQuery.Builder();
        conversationIds.forEach(id -> query.add(new TermQuery(new Term("id", id)), Occur.SHOULD));
        return deleteMatching(query.build());
    }

    /** Removes every transcript closed before the instant; returns how many there were. */
    public int deleteClosedBefore(Instant cutoff) {
        return deleteMatching(LongPoint.newRangeQuery("closedAt", Long.MIN_VALUE, cutoff.toEpochMilli() - 1));
    }

    private int deleteMatching(Query matching) {
        int count = withSearcher(searcher -> searcher.count(matching));
        if (count > 0) {
            change(() -> {
                writer.deleteDocuments(matching);
                // A deleted document stays in its segment file until a merge; erasure means gone from the disk.
                writer.forceMergeDeletes();
            });
        }
        return count;
    }

    public int size() {
        return withSearcher(searcher -> searcher.count(new MatchAllDocsQuery()));
    }

    private static void keyword(Document document, String field, String value) {
        if (value != null) {
            document.add(new StringField(field, value, Field.Store.YES));
        }
    }

    private static void filter(BooleanQuery.Builder query, String field, String value) {
        if (value != null && !value.isBlank()) {
            query.add(new TermQuery(new Term(field, value.strip())), Occur.FILTER);
        }
    }

    private Set<String> queryTerms(String text) {
        var terms = new HashSet<String>();
        terms.addAll(SearchAnalyzers.terms(analyzer, "text" + SearchAnalyzers.GERMAN_SUFFIX, text));
        terms.addAll(SearchAnalyzers.terms(analyzer, "text" + SearchAnalyzers.ENGLISH_SUFFIX, text));
        return terms;
    }

    /** The first line whose terms meet the query's, in either language's analysis. */
    private String snippet(String text, Set<String> wanted) {
        if (text == null) {
            return "";
        }
        String[] lines = text.split("\n");
        String chosen = null;
        for (String line : lines) {
            boolean message = line.startsWith("[");
            if (wanted.isEmpty() ? message
                    : (message || line.startsWith("Note by ")) && intersects(queryTerms(line), wanted)) {
                chosen = line;
                break;
            }
        }
        if (chosen == null) {
            chosen = lines[0];
        }
        return chosen.length() <= SNIPPET_LENGTH ? chosen : chosen.substring(0, SNIPPET_LENGTH) + " …";
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        return a.stream().anyMatch(b::contains);
    }

    private interface IndexChange {
        void apply() throws IOException;
    }

    private interface SearcherWork<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private synchronized void change(IndexChange change) {
        try {
            change.apply();
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("the transcript index could not be changed", e);
        }
    }

    private <T> T withSearcher(SearcherWork<T> work) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return work.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the transcript index could not be searched", e);
        }
    }

    @PreDestroy
    public void close() throws IOException {
        searchers.close();
        writer.close();
    }
}
