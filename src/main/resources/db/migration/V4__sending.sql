-- Pages whose access token Facebook rejected (error 190). The flag applies to the token it was raised for
-- (its SHA-256), so a new token in the environment clears it.
create table page_status (
    page_id           varchar(64) primary key,
    token_fingerprint char(64)    not null,
    reason            varchar(500) not null,
    flagged_at        timestamp with time zone not null
);
