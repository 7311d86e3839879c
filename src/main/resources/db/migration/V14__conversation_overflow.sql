-- What the hub did with a conversation that opened while its queue was closed or none of its agents was there
-- (overflow/Overflow, config/operating-hours.yaml): at most one row per conversation, so its automatic answer goes
-- out once, also after a restart and with several hub instances. Erasure and retention delete it with its
-- conversation. No personal data: the reason, the queues and the answer's name.
create table conversation_overflow (
    conversation_id varchar(36)  primary key references conversation (id) on delete cascade,
    reason          varchar(32)  not null,
    queue           varchar(128) not null,
    action          varchar(16)  not null,
    transferred_to  varchar(128),
    answer          varchar(128),
    answer_queued   boolean      not null,
    decided_at      timestamp with time zone not null
);
