package io.messengerhub.sentiment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.StoredMood;
import io.messengerhub.outbox.DomainEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The live mood of a conversation. Each customer message is scored as it is recorded; the conversation's level is
 * the rolling level of the last {@value RollingSentiment#WINDOW} scored customer messages, which the conversation's
 * row keeps ({@link RecentScores}). The agent holding the
 * conversation hears every change; when the level falls to the alert level or below, supervisors get an alert on
 * the events topic, once per crossing (it must rise above the alert level before it alerts again).
 */
@Component("conversationSentiment")
public class ConversationSentiment {

    public static final String ALERT = "supervisor.sentiment-alert";

    private static final Logger LOG = LoggerFactory.getLogger(ConversationSentiment.class);

    /**
     * The last scored customer messages and the conversation's level before this one, in one query: for a
     * conversation whose row does not keep them yet, or whose row another transaction changed in between.
     */
    private static final String RECENT_SCORES = """
            select m.id, m.sent_at, m.sentiment as score, (select c.sentiment_level from conversation c where c.id = :id) as previous
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

    /**
     * The conversation's mood after a customer message: the last scored messages its row keeps from now on, whose
     * rolling level and score it is, and the level before.
     */
    public record Mood(MessageSentiment message, RecentScores recent, SentimentLevel previous) {

        public SentimentLevel level() {
            return RollingSentiment.level(recent.scores());
        }

        public double score() {
            return RollingSentiment.average(recent.scores());
        }

        /** The mood as the conversation's row keeps it. */
        public StoredMood stored() {
            return new StoredMood(level().name(), score(), recent.stored());
        }
    }

    /** The sentiment of a customer's message, in the customer's language; empty for a message without text. */
    public Optional<MessageSentiment> score(Conversation conversation, String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(scorer.score(text, locale(conversation)));
    }

    /**
     * The conversation's mood once the scored message is stored: the rolling level of the last
     * {@value RollingSentiment#WINDOW} scored customer messages, this one included, from the ones its row keeps.
     *
     * @param messageId the stored message's id, which orders messages sent in the same millisecond
     * @param before    the mood the conversation's row kept before this message; null when the message opened the
     *                  conversation (it is the only one)
     */
    public Mood mood(Conversation conversation, MessageSentiment message, long messageId, Instant sentAt, StoredMood before) {
        if (before == null) {
            return new Mood(message, RecentScores.NONE.with(sentAt.toEpochMilli(), messageId, message.compound()), null);
        }
        if (before.recentScores() == null) {
            return moodFromTranscript(conversation, message);
        }
        RecentScores kept;
        try {
            kept = RecentScores.parse(before.recentScores());
        } catch (IllegalArgumentException unreadable) {
            // Written by hand, or by a bug: the transcript has the scores, and this message's update replaces it.
            LOG.warn("Conversation {} kept last sentiment scores that cannot be read; read from its transcript instead: {}",
                    conversation.id(), unreadable.getMessage());
            return moodFromTranscript(conversation, message);
        }
        return new Mood(message, kept.with(sentAt.toEpochMilli(), messageId, message.compound()),
                before.level() == null ? null : SentimentLevel.valueOf(before.level()));
    }

    /**
     * The conversation's mood as the transcript has it, the scored message stored: for a conversation opened before
     * its row kept the last scores, or whose row another transaction changed since this one read it.
     */
    public Mood moodFromTranscript(Conversation conversation, MessageSentiment message) {
        RecentScores recent = RecentScores.NONE;
        SentimentLevel previous = null;
        for (TranscriptScore row : jdbc.sql(RECENT_SCORES).param("id", conversation.id()).query(TranscriptScore::of).list()) {
            recent = recent.with(row.sentAt().toEpochMilli(), row.messageId(), row.score());
            previous = row.previous() == null ? null : SentimentLevel.valueOf(row.previous());
        }
        return new Mood(message, recent, previous);
    }

    /** A row of {@link #RECENT_SCORES}. */
    private record TranscriptScore(long messageId, Instant sentAt, double score, String previous) {

        static TranscriptScore of(ResultSet rs, int row) throws SQLException {
            return new TranscriptScore(rs.getLong("id"), rs.getObject("sent_at", OffsetDateTime.class).toInstant(),
                    rs.getDouble("score"), rs.getString("previous"));
        }
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
