-- The customer's answer to a Page's recording disclosure when the Page asks for consent (hub.privacy.consent): one row
-- per conversation, written when the disclosure with its two quick replies is queued (answer null: not answered yet)
-- and completed when the customer's quick-reply payload arrives. Who (PSID), which conversation and Page, exactly what
-- they were shown (the text and a hash of text and choices), what they answered, when. Erasure and retention delete
-- it with its conversation (privacy/ConversationData).
create table conversation_consent (
    conversation_id    varchar(36)   primary key,
    page_id            varchar(64)   not null,
    customer_psid      varchar(64)   not null,
    disclosure_version varchar(16)   not null,
    disclosure_text    varchar(2000) not null,
    agree_title        varchar(20)   not null,
    decline_title      varchar(20)   not null,
    asked_at           timestamp with time zone not null,
    answer             varchar(16),
    answered_version   varchar(16),
    answered_at        timestamp with time zone
);
create index ix_consent_psid on conversation_consent (customer_psid);
create index ix_consent_declined on conversation_consent (answer);
