package io.messengerhub.customer;

import java.util.Map;

/** What the CRM lookup route answered for a PSID. */
public sealed interface CrmAnswer {

    /** The contact's row as the route returned it (keys as in docs/crm-integration.md). */
    record Found(Map<String, Object> contact) implements CrmAnswer {
    }

    /** The CRM answered: no contact has this PSID. */
    record NotFound() implements CrmAnswer {
    }

    /** The CRM did not answer in time or failed. */
    record Unavailable(String reason) implements CrmAnswer {
    }
}
