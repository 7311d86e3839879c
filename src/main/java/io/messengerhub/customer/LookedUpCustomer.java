package io.messengerhub.customer;

/** What enrichment found about the customer with this PSID on this Page. */
public record LookedUpCustomer(String pageId, String psid, CustomerSnapshot snapshot) {

    public boolean isOf(String pageId, String psid) {
        return this.pageId.equals(pageId) && this.psid.equals(psid);
    }
}
