package io.messengerhub.webhook;

/** The webhook spine on the embedded default database, H2. */
class WebhookIngestionOnH2Test extends WebhookIngestionContract {
}
