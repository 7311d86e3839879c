package io.messengerhub.conversation;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The customer's answer to the recording disclosure, as agents and the API see it (table conversation_consent,
 * written by privacy/Consents).
 *
 * @param state             {@code not-asked} (the Page does not ask, or the disclosure could not go out),
 *                          {@code pending} (asked, no answer yet), {@code agreed} or {@code declined}
 * @param disclosureVersion a hash of the disclosure text and its two choices, as the customer was shown them
 * @param answeredVersion   the version the customer's answer was given to (the quick reply carries it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Consent(String state, String disclosureVersion, Instant askedAt, Instant answeredAt, String answeredVersion) {

    public static final String NOT_ASKED = "not-asked";
    public static final String PENDING = "pending";
    public static final String AGREED = "agreed";
    public static final String DECLINED = "declined";

    public static final Consent NONE = new Consent(NOT_ASKED, null, null, null, null);
}
