package io.messengerhub.customer;

/** A CRM contact as a contact search lists it (route crm-search-contacts, docs/crm-integration.md). */
public record CrmContact(String contactId, String firstName, String lastName, String email, String phone, String tier,
                         boolean vip) {
}
