package io.messengerhub.search;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.messengerhub.api.ApiBadRequestException;
import io.messengerhub.api.ApiNotFoundException;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** What the search API answers: transcripts by words and filters, knowledge articles by words. */
@Component("searchQueries")
public class SearchQueries {

    private final TranscriptIndex transcripts;
    private final KnowledgeBase knowledge;

    public SearchQueries(TranscriptIndex transcripts, KnowledgeBase knowledge) {
        this.transcripts = transcripts;
        this.knowledge = knowledge;
    }

    public List<TranscriptSearch.Hit> transcripts(@Header("q") String text, @Header("psid") String psid,
                                                  @Header("contactId") String contactId, @Header("agent") String agent,
                                                  @Header("page") String page, @Header("queue") String queue,
                                                  @Header("status") String status, @Header("from") String from,
                                                  @Header("to") String to, @Header("limit") String limit) {
        return transcripts.search(new TranscriptSearch(text, psid, contactId, agent, page, queue, status,
                instant("from", from, false), instant("to", to, true), number("limit", limit)));
    }

    public List<KnowledgeArticle.Hit> articles(@Header("q") String text, @Header("limit") String limit) {
        int wanted = number("limit", limit);
        return knowledge.search(text, wanted <= 0 ? 10 : wanted);
    }

    public KnowledgeArticle article(@Header("id") String id) {
        return knowledge.article(id).orElseThrow(() -> new ApiNotFoundException("no knowledge article '" + id + "'"));
    }

    /**
     * An instant, or a day ({@code 2026-11-28}): a {@code from} day starts at its midnight UTC, a {@code to} day
     * includes the whole day.
     */
    public static Instant instant(String name, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiBadRequestException(name + " must be a date (2026-11-28) or an instant (2026-11-28T10:15:30Z), not '" + value + "'");
        }
    }

    private static int number(String name, String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new ApiBadRequestException(name + " must be a number, not '" + value + "'");
        }
    }
}
