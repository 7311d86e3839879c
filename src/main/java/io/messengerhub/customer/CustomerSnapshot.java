package io.messengerhub.customer;

import java.util.List;

/**
 * The customer data offered with a conversation, and whether it is complete. Incomplete means a source did not
 * answer in time (CRM down or slow, Graph API error); the hub looks it up again later and sends the update.
 *
 * @param gaps what is missing and why, for the log and the agent ("crm: timeout after 1500 ms")
 */
public record CustomerSnapshot(Customer customer, boolean complete, List<String> gaps) {

    public CustomerSnapshot {
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
    }

    /** Nothing could be asked at all, e.g. the event raced with another one opening the conversation. */
    public static CustomerSnapshot unknown(String why) {
        return new CustomerSnapshot(Customer.anonymous(), false, List.of(why));
    }
}
