package io.messengerhub.customer;

/** What asking Facebook for a customer's profile gave. */
public sealed interface ProfileResult {

    /** The profile. */
    record Found(FacebookProfile profile) implements ProfileResult {
    }

    /** Facebook has no profile to give (2018218, no page token, not a PSID): final, the customer stays anonymous. */
    record NoProfile(String reason) implements ProfileResult {
    }

    /** Facebook did not answer usefully now (timeout, 5xx, rate limit, token rejected): try again later. */
    record Unavailable(String reason) implements ProfileResult {
    }
}
