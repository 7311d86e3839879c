package io.messengerhub.conversation;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.messengerhub.support.HubSystemTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The state machine, one check per transition and starting state, against the real database: the move happens
 * exactly from the states the table allows, and from every other state it changes nothing.
 */
class ConversationTransitionTest extends HubSystemTest {

    /** What docs/agent-protocol.md promises, written out independently of the enum. */
    private static final List<Object[]> TABLE = List.of(
            new Object[] {ConversationTransition.ACCEPT, ConversationState.ACTIVE, EnumSet.of(ConversationState.OPEN)},
            new Object[] {ConversationTransition.WAIT, ConversationState.WAITING, EnumSet.of(ConversationState.ACTIVE)},
            new Object[] {ConversationTransition.CUSTOMER_WRITES, ConversationState.ACTIVE, EnumSet.of(ConversationState.WAITING)},
            new Object[] {ConversationTransition.END, ConversationState.WRAP_UP,
                    EnumSet.of(ConversationState.ACTIVE, ConversationState.WAITING)},
            new Object[] {ConversationTransition.RELEASE, ConversationState.OPEN,
                    EnumSet.of(ConversationState.ACTIVE, ConversationState.WAITING)},
            new Object[] {ConversationTransition.AGENT_GONE, ConversationState.OPEN,
                    EnumSet.of(ConversationState.ACTIVE, ConversationState.WAITING)},
            new Object[] {ConversationTransition.CLOSE_BY_AGENT, ConversationState.CLOSED,
                    EnumSet.of(ConversationState.ACTIVE, ConversationState.WAITING, ConversationState.WRAP_UP)},
            new Object[] {ConversationTransition.CLOSE_BY_API, ConversationState.CLOSED,
                    EnumSet.of(ConversationState.OPEN, ConversationState.ACTIVE, ConversationState.WAITING, ConversationState.WRAP_UP)},
            new Object[] {ConversationTransition.CLOSE_FOR_INACTIVITY, ConversationState.CLOSED,
                    EnumSet.of(ConversationState.OPEN, ConversationState.WAITING)},
            new Object[] {ConversationTransition.ASSIGN_BY_SUPERVISOR, ConversationState.ACTIVE,
                    EnumSet.of(ConversationState.OPEN, ConversationState.ACTIVE, ConversationState.WAITING)},
            new Object[] {ConversationTransition.TRANSFER_BY_SUPERVISOR, ConversationState.OPEN,
                    EnumSet.of(ConversationState.OPEN, ConversationState.ACTIVE, ConversationState.WAITING)});

    @Autowired
    ConversationRepository conversations;

    @Test
    void shouldListEveryTransitionOnce() {
        assertThat(TABLE.stream().map(row -> row[0]).toList()).containsExactlyInAnyOrder((Object[]) ConversationTransition.values());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldMoveFromTheAllowedStatesOnlyAndChangeNothingFromTheOthers() {
        var wrong = new ArrayList<String>();
        for (Object[] row : TABLE) {
            var transition = (ConversationTransition) row[0];
            var to = (ConversationState) row[1];
            var allowed = (Set<ConversationState>) row[2];
            assertThat(transition.to()).as(transition.name()).isEqualTo(to);
            for (ConversationState from : ConversationState.values()) {
                String id = conversationIn(from);
                boolean moved = conversations.move(id, transition, "anna", null, Instant.now());
                ConversationState now = conversations.findById(id).orElseThrow().state();
                boolean expected = allowed.contains(from);
                if (moved != expected || now != (expected ? to : from) || transition.allowedFrom(from) != expected) {
                    wrong.add(transition + " from " + from + ": moved " + moved + ", now " + now);
                }
            }
        }
        assertThat(wrong).as("transitions that did not follow the table").isEmpty();
    }

    /** A conversation of a new customer, put into the state directly. */
    private String conversationIn(ConversationState state) {
        String psid = unique("psid");
        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "state machine"))));
        awaitMessages(psid, 1);
        String id = jdbc.sql("select id from conversation where customer_psid = :psid").param("psid", psid)
                .query(String.class).single();
        jdbc.sql("update conversation set state = :state, agent_id = 'anna' where id = :id")
                .param("state", state.name()).param("id", id).update();
        return id;
    }
}
