-- What the hub knows about the customer of a conversation, as offered to agents: a JSON snapshot of the CRM
-- contact and/or Facebook profile, and whether it is complete (CRM and Graph API answered in time).
alter table conversation add column customer text;
alter table conversation add column customer_complete boolean default false not null;
alter table conversation add column contact_id varchar(128);

-- Facebook User Profile API answers, cached: profile_pic URLs expire and the API is rate limited.
create table customer_profile (
    page_id       varchar(64)  not null,
    customer_psid varchar(64)  not null,
    profile       text         not null,
    fetched_at    timestamp with time zone not null,
    expires_at    timestamp with time zone not null,
    primary key (page_id, customer_psid)
);

-- Conversations whose customer data is incomplete, to be enriched again with back-off.
create table enrichment_retry (
    conversation_id varchar(36) primary key references conversation (id),
    attempts        int         not null,
    next_attempt_at timestamp with time zone not null,
    last_error      varchar(500)
);
