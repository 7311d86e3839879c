-- Customers' files: where Facebook offered them, what the hub found them to be, and where it keeps them
-- (under a generated name; the original name is kept only as metadata).
create table attachment (
    id              varchar(36)  primary key,
    conversation_id varchar(36)  not null references conversation (id),
    message_mid     varchar(512),
    claimed_type    varchar(32)  not null,
    source_url      text         not null,
    original_name   varchar(255),
    detected_type   varchar(255),
    size_bytes      bigint,
    sha256          char(64),
    stored_name     varchar(255),
    status          varchar(16)  not null,
    reason          varchar(64),
    detail          varchar(500),
    created_at      timestamp with time zone not null
);
create index ix_attachment_conversation on attachment (conversation_id);
