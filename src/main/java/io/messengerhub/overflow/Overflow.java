package io.messengerhub.overflow;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.messengerhub.agent.AgentDirectory;
import io.messengerhub.agent.AgentStates;
import io.messengerhub.channel.PageTokens;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.hours.OperatingHours;
import io.messengerhub.hours.OperatingHoursProperties.Action;
import io.messengerhub.overflow.OverflowDecisions.Decision;
import io.messengerhub.overflow.OverflowDecisions.Reason;
import io.messengerhub.send.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Dynamics 365's overflow rules for a conversation that opens while its queue is closed ("out of operating hours") or
 * none of the queue's agents is there (Available or Busy): the customer gets the operator's automatic answer in their
 * language, and the conversation waits in its queue or goes to another, as config/operating-hours.yaml says. Decided
 * once per conversation, when it opens, in the transaction that opens it, and recorded ({@link OverflowDecisions}).
 */
@Component
public class Overflow {

    private static final Logger LOG = LoggerFactory.getLogger(Overflow.class);

    private final OperatingHours hours;
    private final AgentDirectory agents;
    private final AgentStates presence;
    private final ConversationRepository conversations;
    private final OverflowDecisions decisions;
    private final Replies replies;
    private final PageTokens tokens;
    private final Clock clock;
    private final Set<String> pagesWithoutToken = ConcurrentHashMap.newKeySet();

    public Overflow(OperatingHours hours, AgentDirectory agents, AgentStates presence, ConversationRepository conversations,
                    OverflowDecisions decisions, Replies replies, PageTokens tokens, Clock clock) {
        this.hours = hours;
        this.agents = agents;
        this.presence = presence;
        this.conversations = conversations;
        this.decisions = decisions;
        this.replies = replies;
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * Applies the queue's overflow rule to a conversation that just opened, if one applies and none was applied to it
     * before; returns the conversation as it is now (in the queue it was transferred to). Call inside the transaction
     * that opened it.
     */
    public Conversation atOpening(Conversation conversation) {
        var queue = hours.queue(conversation.queue());
        if (queue.isEmpty()) {
            return conversation;
        }
        Instant now = clock.instant();
        Reason reason;
        var rule = queue.get().outsideHours();
        if (!hours.isOpen(conversation.queue(), now)) {
            reason = Reason.OUTSIDE_HOURS;
        } else if (queue.get().nobodyAvailable() != null && nobodyThere(conversation.queue())) {
            reason = Reason.NOBODY_AVAILABLE;
            rule = queue.get().nobodyAvailable();
        } else {
            return conversation;
        }
        // Outside hours without a rule: it waits, unanswered, and is offered when the queue opens (WorkDistribution).
        if (rule == null || decisions.taken(conversation.id())) {
            return conversation;
        }
        boolean answered = rule.answer() != null && answer(conversation, rule.answer(), reason);
        Conversation queued = conversation;
        if (rule.action() == Action.TRANSFER && conversations.requeue(conversation.id(), rule.transferTo())) {
            queued = conversation.withQueue(rule.transferTo());
        }
        decisions.record(new Decision(conversation.id(), reason, conversation.queue(), rule.action().name(),
                rule.action() == Action.TRANSFER ? rule.transferTo() : null, rule.answer(), answered, now));
        LOG.info("Conversation {} opened in queue '{}' {}: {}{}", conversation.id(), conversation.queue(),
                reason == Reason.OUTSIDE_HOURS ? "outside its operating hours" : "with none of its agents there",
                answered ? "answered with '" + rule.answer() + "', " : "",
                rule.action() == Action.TRANSFER ? "transferred to queue '" + rule.transferTo() + "'" : "waits in its queue");
        return queued;
    }

    /** No agent of the queue has chosen a presence that takes work (Available or Busy, whatever their load). */
    private boolean nobodyThere(String queue) {
        return agents.membersOf(queue).stream().noneMatch(agent -> presence.chosen(agent.id()).acceptsWork());
    }

    private boolean answer(Conversation conversation, String answer, Reason reason) {
        if (tokens.tokenFor(conversation.pageId()).isEmpty()) {
            // Once per Page, not once per conversation: the demo Pages have no tokens.
            if (pagesWithoutToken.add(conversation.pageId())) {
                LOG.warn("No automatic answer is sent for page {}: it has no access token configured", conversation.pageId());
            }
            return false;
        }
        String locale = conversation.customer() == null ? null : conversation.customer().locale();
        String text = hours.answer(answer).textFor(conversation.pageId(), locale);
        Optional<String> refused = replies.queueAutomaticAnswer(conversation, text);
        refused.ifPresent(why -> LOG.warn("The automatic answer '{}' ({}) to conversation {} is not sent: {}", answer,
                reason, conversation.id(), why));
        return refused.isEmpty();
    }
}
