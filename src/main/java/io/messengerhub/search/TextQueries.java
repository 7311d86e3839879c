package io.messengerhub.search;

import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Query;

/**
 * Turns what a person types into a Lucene query over the German and English forms of the text. The simple query
 * syntax never fails on odd input ({@code "quotes"}, {@code -not}, {@code prefix*} work; stray symbols are words), and
 * words are alternatives ranked by how many match, because a stop word in one language is a term in the other.
 */
final class TextQueries {

    private TextQueries() {
    }

    static Query parse(Analyzer analyzer, Map<String, Float> weightedFields, String text) {
        SimpleQueryParser parser = new SimpleQueryParser(analyzer, weightedFields);
        parser.setDefaultOperator(BooleanClause.Occur.SHOULD);
        return parser.parse(text);
    }
}
