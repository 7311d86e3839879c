package io.messengerhub.customer;

import java.time.Instant;
import java.util.List;

/**
 * Who is writing, as far as the hub knows: the CRM contact if the CRM knows the PSID, else the Facebook profile
 * (then timezone and profile picture are known), else anonymous.
 *
 * @param contactId  the CRM contact's id; null while the customer is not in the CRM
 * @param locale     the CRM's language, else Facebook's locale (e.g. de_DE)
 * @param timezone   hours from UTC, from the Facebook profile
 * @param openCases  the contact's unresolved CRM cases, newest first
 * @param source     where the data came from: crm, facebook-profile, or anonymous
 */
public record Customer(String contactId, String firstName, String lastName, String email, String phone, String locale,
                       Double timezone, String tier, boolean vip, String profilePicUrl, List<OpenCase> openCases,
                       String source) {

    public static final String FROM_CRM = "crm";
    public static final String FROM_FACEBOOK_PROFILE = "facebook-profile";
    public static final String ANONYMOUS = "anonymous";

    public Customer {
        openCases = openCases == null ? List.of() : List.copyOf(openCases);
    }

    /** First and last name as far as known; empty when neither is. */
    public String fullName() {
        return ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).strip();
    }

    public static Customer anonymous() {
        return new Customer(null, null, null, null, null, null, null, null, false, null, List.of(), ANONYMOUS);
    }

    /** A CRM case of the contact. */
    public record OpenCase(String caseId, String title, String status, Instant createdAt) {
    }
}
