-- Erasure reaches the broker: how many messages it took off each place there, and what it could not erase (a JSON
-- array of sentences naming places, never the customer).
alter table erasure add column consents integer default 0 not null;
alter table erasure add column broker_webhook_dead_letters integer default 0 not null;
alter table erasure add column broker_reply_dead_letters integer default 0 not null;
alter table erasure add column broker_offers integer default 0 not null;
alter table erasure add column broker_agent_inboxes integer default 0 not null;
alter table erasure add column not_erased varchar(8000);
