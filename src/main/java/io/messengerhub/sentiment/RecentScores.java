package io.messengerhub.sentiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The last {@value RollingSentiment#WINDOW} scored customer messages of a conversation, kept in the conversation's
 * row so that a new message's mood needs no read of the transcript. Ordered as the transcript orders them: by the
 * time Facebook gives a message, then by its id, so a late event takes its place among the others and may fall out
 * of the window at once, exactly as a query of the last six would have it.
 * <p>
 * Stored as text, {@code sentAtMillis/messageId/score} per message, oldest first, separated by spaces; the score is
 * written as {@link Double#toString} writes it, so reading it back gives the same average to the last bit.
 */
public final class RecentScores {

    /** A conversation with no scored customer message. */
    public static final RecentScores NONE = new RecentScores(List.of());

    private static final Comparator<Scored> TRANSCRIPT_ORDER =
            Comparator.comparingLong(Scored::sentAtMillis).thenComparingLong(Scored::messageId);

    /** One scored customer message. */
    public record Scored(long sentAtMillis, long messageId, double score) {
    }

    private final List<Scored> oldestFirst;

    private RecentScores(List<Scored> oldestFirst) {
        this.oldestFirst = List.copyOf(oldestFirst);
    }

    /** The window as {@link #stored} wrote it; an empty text is {@link #NONE}. */
    public static RecentScores parse(String stored) {
        if (stored == null || stored.isBlank()) {
            return NONE;
        }
        var messages = new ArrayList<Scored>();
        for (String message : stored.trim().split(" ")) {
            String[] parts = message.split("/");
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a stored sentiment window: " + stored);
            }
            messages.add(new Scored(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Double.parseDouble(parts[2])));
        }
        messages.sort(TRANSCRIPT_ORDER);
        return new RecentScores(last(messages));
    }

    /** The window once this message is scored: it takes its place by time and id, and the oldest beyond six leave. */
    public RecentScores with(long sentAtMillis, long messageId, double score) {
        var messages = new ArrayList<>(oldestFirst);
        messages.add(new Scored(sentAtMillis, messageId, score));
        messages.sort(TRANSCRIPT_ORDER);
        return new RecentScores(last(messages));
    }

    /** The scores, oldest first, as {@link RollingSentiment} takes them. */
    public List<Double> scores() {
        return oldestFirst.stream().map(Scored::score).toList();
    }

    public List<Scored> messages() {
        return oldestFirst;
    }

    /** The text kept in the conversation's row. */
    public String stored() {
        var text = new StringBuilder();
        for (Scored message : oldestFirst) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(message.sentAtMillis()).append('/').append(message.messageId()).append('/').append(message.score());
        }
        return text.toString();
    }

    private static List<Scored> last(List<Scored> oldestFirst) {
        return oldestFirst.subList(Math.max(0, oldestFirst.size() - RollingSentiment.WINDOW), oldestFirst.size());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecentScores scores && scores.oldestFirst.equals(oldestFirst);
    }

    @Override
    public int hashCode() {
        return oldestFirst.hashCode();
    }

    @Override
    public String toString() {
        return stored();
    }
}
