package io.messengerhub.conversation;

import java.time.Instant;

import io.messengerhub.customer.Customer;

/**
 * The {@code conversation.offered} message an agent queue receives for a new conversation
 * (documented in docs/asyncapi.yaml).
 *
 * @param customer               who is writing, from the CRM and/or the Facebook profile
 * @param customerDataIncomplete the CRM or Graph API did not answer in time; a
 *                               {@code conversation.customer-updated} message follows once they do
 */
public record ConversationOffer(String type, String conversationId, String pageId, String pageName, String customerPsid,
                                String queue, Instant offeredAt, Customer customer, boolean customerDataIncomplete,
                                TranscriptMessage firstMessage) {

    public static final String TYPE = "conversation.offered";
}
