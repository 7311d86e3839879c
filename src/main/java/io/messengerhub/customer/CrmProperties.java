package io.messengerhub.customer;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the hub reaches the organisation's CRM (config/application.yaml, {@code hub.crm.*}).
 *
 * @param datasource            the CRM database, independent of the hub's own
 * @param demoSchema            create and seed the demo CRM schema (for the embedded default only)
 * @param lookupTimeout         the most a lookup (CRM and Graph API together) may hold up a new conversation
 * @param concurrentLookups     lookups of new customers a hub runs at once (a batch's lookups run side by side)
 * @param createUnknownContacts create a CRM contact from the Facebook profile for a PSID the CRM does not know
 * @param retryInitialDelay     first wait before incomplete customer data is looked up again (doubles each time)
 * @param retryMaxAttempts      after this many attempts the conversation keeps what is known
 */
@ConfigurationProperties("hub.crm")
public record CrmProperties(Datasource datasource, boolean demoSchema, Duration lookupTimeout, int concurrentLookups,
                            boolean createUnknownContacts, Duration retryInitialDelay, int retryMaxAttempts) {

    /** JDBC settings of the CRM database; the password comes from the environment. */
    public record Datasource(String url, String username, String password, Duration connectionTimeout, int maximumPoolSize) {
    }
}
