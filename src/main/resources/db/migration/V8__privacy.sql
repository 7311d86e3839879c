-- A record of every erasure the hub carried out: when, on whose request, and how much it deleted, and nothing
-- that identifies the customer (no PSID, no contact id, no name).
create table erasure (
    id               varchar(36)  primary key,
    requested_at     timestamp with time zone not null,
    subject_kind     varchar(16)  not null,
    conversations    integer      not null,
    messages         integer      not null,
    notes            integer      not null,
    attachments      integer      not null,
    files            integer      not null,
    events           integer      not null,
    index_entries    integer      not null,
    customer_records integer      not null
);
