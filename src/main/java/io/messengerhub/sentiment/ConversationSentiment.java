package io.messengerhub.sentiment;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.messengerhub.conversation.Conversation;
import io.messengerhub.outbox.DomainEvents;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The live mood of a conversation. Each customer message is scored as it is recorded; the conversation's level is
 * the rolling level of the last {@value RollingSentiment#WINDOW} scored customer messages. The agent holding the
 * conversation hears every change; when the level falls to the alert level or below, supervisors get an alert on
 * the events topic, once per crossing (it must rise above the alert level before it alerts again).
 */
@Component("conversationSentiment")
public class ConversationSentiment {

    public static final String ALERT = "supervisor.sentiment-alert";

    /** The last scored customer messages and the conversation's level before this one, in one query. */
    private static final String RECENT_SCORES = """
            select m.sentiment as score, (select c.sentiment_level from conversation c where c.id = :id) as previous
            from message m
            where m.conversation_id = :id and m.direction = 'IN' and m.sentiment is not null
            order by m.sent_at desc, m.id desc
            limit %d""".formatted(RollingSentiment.WINDOW);

    private final JdbcClient jdbc;
    private final SentimentScorer scorer;
    private final DomainEvents events;
    private final Clock clock;
    private final SentimentLevel alertLevel;

    public ConversationSentiment(JdbcClient jdbc, SentimentScorer scorer, DomainEvents events, Clock clock,
                                 @Value("${hub.sentiment.alert-level}") SentimentLevel alertLevel) {
        this.jdbc = jdbc;
        this.scorer = scorer;
        this.events = events;
        this.clock = clock;
        this.alertLevel = alertLevel;
    }

    /** The conversation's mood after a customer message: its rolling level and score, and the level before. */
    public record Mood(MessageSentiment message, SentimentLevel level, double score, SentimentLevel previous) {
    }

    /** The sentiment of a customer's message, in the customer's language; empty for a message without text. */
    public Optional<MessageSentiment> score(Conversation conversation, String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(scorer.score(text, locale(conversation)));
    }

    /**
     * The conversation's mood once the scored message is stored: the rolling level of the last
     * {@value RollingSentiment#WINDOW} scored customer messages, this one included.
     *
     * @param opened the message opened the conversation: it is the only one, so nothing needs reading back
     */
    public Mood mood(Conversation conversation, MessageSentiment message, boolean opened) {
        if (opened) {
            return new Mood(message, message.level(), message.compound(), null);
        }
        List<Double> recent = new ArrayList<>();
        SentimentLevel previous = null;
        for (Map<String, Object> row : jdbc.sql(RECENT_SCORES).param("id", conversation.id()).query().listOfRows()) {
            recent.add(((Number) row.get("score")).doubleValue());
            previous = row.get("previous") == null ? null : SentimentLevel.valueOf((String) row.get("previous"));
        }
        Collections.reverse(recent);
        return new Mood(message, RollingSentiment.level(recent), RollingSentiment.average(recent), previous);
    }

    /**
     * What the mood means for people: the agent holding the conversation hears every change of it; supervisors get
     * an alert when the level falls to the alert level or below, once per crossing.
     */
    public void notices(Conversation conversation, long messageId, Mood mood) {
        events.record(new SentimentChanged(conversation, mood, clock.instant()));
        if (atOrBelowAlert(mood.level()) && (mood.previous() == null || !atOrBelowAlert(mood.previous()))) {
            events.record(new SentimentAlert(conversation, messageId, mood.level(), mood.score(), alertLevel, clock.instant()));
        }
    }

    private boolean atOrBelowAlert(SentimentLevel level) {
        return level.ordinal() <= alertLevel.ordinal();
    }

    private static Locale locale(Conversation conversation) {
        String locale = conversation.customer() == null ? null : conversation.customer().locale();
        return locale == null || locale.isBlank() ? null : Locale.forLanguageTag(locale.replace('_', '-'));
    }
}
