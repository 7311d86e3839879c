package io.messengerhub.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.messengerhub.channel.ChannelProperties;
import io.messengerhub.channel.Channels;
import io.messengerhub.customer.Customer;

/**
 * The one {@code conversation.offered} message (documented in docs/asyncapi.yaml): on an agent queue's address for
 * a new conversation, and in an agent's inbox as an offer to that agent, which adds its {@code offerId}, countdown
 * and the customer's other conversations.
 *
 * @param customer               who is writing, from the CRM and/or the Facebook profile
 * @param customerDataIncomplete the CRM or Graph API did not answer in time; a
 *                               {@code conversation.customer-updated} message follows once they do
 * @param firstMessage           the conversation's first transcript entry, with its sequence
 * @param recorded               always true: the hub keeps every conversation's transcript, so agents are told that what
 *                               they write is recorded
 * @param consent                the customer's answer to the recording disclosure so far (state {@code not-asked} when
 *                               the Page does not ask)
 * @param offerId                to one agent only: what the agent answers with; null on the queue's address
 * @param expiresAt              to one agent only: the end of the countdown
 * @param countdownSeconds       to one agent only: {@code hub.agents.offer-timeout} in seconds
 * @param otherConversations     to one agent only: the customer's other open and recent conversations
 * @param sentiment              to one agent only: the conversation's mood so far, {@code {level, score}}, both null
 *                               while no message was scored
 */
public record ConversationOffer(String type, String conversationId, String pageId, String pageName, String customerPsid,
                                String queue, Instant offeredAt, Customer customer, boolean customerDataIncomplete,
                                TranscriptMessage firstMessage, boolean recorded, Consent consent,
                                @JsonInclude(JsonInclude.Include.NON_NULL) String offerId,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Instant expiresAt,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Long countdownSeconds,
                                @JsonInclude(JsonInclude.Include.NON_NULL) List<Map<String, Object>> otherConversations,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> sentiment) {

    public static final String TYPE = "conversation.offered";

    /** The offer of a conversation on its queue's address; the Page's name comes from config/channels.yaml. */
    public static ConversationOffer forQueue(Conversation conversation, Channels channels, Instant offeredAt,
                                             TranscriptMessage firstMessage, Consent consent) {
        String pageName = channels.page(conversation.pageId()).map(ChannelProperties.Page::name).orElse(null);
        return new ConversationOffer(TYPE, conversation.id(), conversation.pageId(), pageName, conversation.customerPsid(),
                conversation.queue(), offeredAt, conversation.customer(), conversation.customerDataIncomplete(), firstMessage,
                true, consent, null, null, null, null, null);
    }

    /** The same offer made to one agent, with its countdown, the customer's history and the mood so far. */
    public ConversationOffer toAgent(String offerId, Instant expiresAt, long countdownSeconds,
                                     List<Map<String, Object>> otherConversations, Map<String, Object> sentiment) {
        return new ConversationOffer(type, conversationId, pageId, pageName, customerPsid, queue, offeredAt, customer,
                customerDataIncomplete, firstMessage, recorded, consent, offerId, expiresAt, countdownSeconds, otherConversations, sentiment);
    }
}
