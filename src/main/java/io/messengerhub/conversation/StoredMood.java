package io.messengerhub.conversation;

/**
 * A conversation's mood as its row keeps it, written and read by the sentiment capability: the rolling level and
 * score, and the last scored customer messages ({@code recentScores}, null in a conversation opened before the row
 * kept them: its mood is then read from the transcript once).
 */
public record StoredMood(String level, Double score, String recentScores) {
}
