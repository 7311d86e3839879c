package io.messengerhub.customer;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The threads that look up new customers ({@code hub.crm.concurrent-lookups}): the split over a batch's new customers
 * in routes/conversation-processing.camel.yaml runs its lookups on them side by side ({@code #crmLookups}), so a slow
 * CRM holds a batch up for about one lookup timeout, not one per new customer in it. The pool is Camel's (shut down
 * with the context) and in Camel's registry only: a Spring bean of type Executor would stand in for Spring Boot's
 * task executor.
 */
@Configuration(proxyBeanMethods = false)
public class CustomerLookupConfiguration {

    @Bean
    CamelContextConfiguration crmLookups(CrmProperties crm) {
        if (crm.concurrentLookups() < 1) {
            throw new IllegalArgumentException("hub.crm.concurrent-lookups must be at least 1, not " + crm.concurrentLookups());
        }
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getRegistry().bind("crmLookups",
                        camel.getExecutorServiceManager().newFixedThreadPool(this, "CrmLookup", crm.concurrentLookups()));
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }
}
