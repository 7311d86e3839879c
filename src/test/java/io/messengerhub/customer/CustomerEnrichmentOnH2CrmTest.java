package io.messengerhub.customer;

/** Enrichment with the CRM on H2, the embedded default. */
class CustomerEnrichmentOnH2CrmTest extends CustomerEnrichmentContract {
}
