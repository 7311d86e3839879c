package io.messengerhub.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import io.messengerhub.sentiment.RecentScores.Scored;
import org.junit.jupiter.api.Test;

class RecentScoresTest {

    @Test
    void shouldKeepTheLastSixInTranscriptOrder() {
        RecentScores recent = RecentScores.NONE;
        for (int i = 1; i <= 8; i++) {
            recent = recent.with(1_000L * i, i, i / 10.0);
        }

        assertThat(recent.scores()).containsExactly(0.3, 0.4, 0.5, 0.6, 0.7, 0.8);
    }

    @Test
    void shouldPlaceALateMessageByItsTimeAndDropItWhenItIsOlderThanTheSix() {
        RecentScores recent = RecentScores.NONE;
        for (int i = 1; i <= 6; i++) {
            recent = recent.with(1_000L * i, i, 0.5);
        }

        // Facebook delivers a message sent between the 2nd and 3rd after the others: it is among the last six, and
        // the 1st leaves.
        assertThat(recent.with(2_500L, 7, -1.0).scores()).containsExactly(0.5, -1.0, 0.5, 0.5, 0.5, 0.5);
        assertThat(recent.with(2_500L, 7, -1.0).messages()).extracting(Scored::messageId).containsExactly(2L, 7L, 3L, 4L, 5L, 6L);
        // One sent before all six is not.
        assertThat(recent.with(500L, 8, -1.0)).isEqualTo(recent);
        // Sent in the same millisecond as the newest: the message id orders them.
        assertThat(recent.with(6_000L, 5, -1.0).messages()).extracting(Scored::messageId).containsExactly(2L, 3L, 4L, 5L, 5L, 6L);
    }

    @Test
    void shouldReadBackExactlyWhatItStored() {
        RecentScores recent = RecentScores.NONE.with(1_760_000_000_000L, 41, -0.123456789012345678)
                .with(1_760_000_000_001L, 42, 1.0E-7).with(1_760_000_000_002L, 9_000_000_000L, -1.0);

        assertThat(recent.stored()).isEqualTo("1760000000000/41/-0.12345678901234568 1760000000001/42/1.0E-7 1760000000002/9000000000/-1.0");
        assertThat(RecentScores.parse(recent.stored())).isEqualTo(recent);
        assertThat(RollingSentiment.average(RecentScores.parse(recent.stored()).scores())).isEqualTo(RollingSentiment.average(recent.scores()));
        assertThat(RecentScores.parse("")).isEqualTo(RecentScores.NONE);
        assertThat(RecentScores.NONE.stored()).isEmpty();
    }

    /** Whatever the order messages arrive in, the window is the last six of all of them, as a query would sort them. */
    @Test
    void shouldAlwaysHoldTheLastSixOfAllMessagesWhateverOrderTheyArriveIn() {
        var random = new Random(20261130L);
        for (int run = 0; run < 500; run++) {
            var all = new ArrayList<Scored>();
            RecentScores recent = RecentScores.NONE;
            int messages = random.nextInt(15);
            for (int id = 1; id <= messages; id++) {
                var message = new Scored(1_000L * random.nextInt(10), id, random.nextDouble() * 2 - 1);
                all.add(message);
                // Each message is stored and read back, as the conversation's row does between two messages.
                recent = RecentScores.parse(recent.with(message.sentAtMillis(), message.messageId(), message.score()).stored());
            }
            all.sort(Comparator.comparingLong(Scored::sentAtMillis).thenComparingLong(Scored::messageId));
            List<Scored> lastSix = all.subList(Math.max(0, all.size() - RollingSentiment.WINDOW), all.size());

            assertThat(recent.messages()).as("run %d", run).isEqualTo(lastSix);
            assertThat(recent.stored().length()).isLessThanOrEqualTo(512);
        }
    }

    @Test
    void shouldRefuseTextItDidNotWrite() {
        assertThatThrownBy(() -> RecentScores.parse("1760000000000/41")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1760000000000/41");
        assertThatThrownBy(() -> RecentScores.parse("a/b/c")).isInstanceOf(NumberFormatException.class);
    }
}
