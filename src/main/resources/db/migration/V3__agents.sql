-- The agent holding a conversation (Active, Waiting, Wrap-up) and when the state last changed.
alter table conversation add column agent_id varchar(64);
alter table conversation add column state_changed_at timestamp with time zone;

-- Each agent's chosen presence and when it last got work (round robin) or was heard from (heartbeat).
create table agent_state (
    agent_id         varchar(64) primary key,
    presence         varchar(16) not null,
    last_assigned_at timestamp with time zone,
    last_seen_at     timestamp with time zone,
    updated_at       timestamp with time zone not null
);

-- Every offer of a conversation to an agent (push mode) and what became of it.
create table conversation_offer (
    id              varchar(36) primary key,
    conversation_id varchar(36) not null references conversation (id),
    agent_id        varchar(64) not null,
    state           varchar(16) not null,
    offered_at      timestamp with time zone not null,
    expires_at      timestamp with time zone not null,
    decided_at      timestamp with time zone
);
create index ix_offer_conversation on conversation_offer (conversation_id);
create index ix_offer_expiry on conversation_offer (state, expires_at);

-- At most one pending offer per conversation, on every database and across hub instances.
create table pending_offer (
    conversation_id varchar(36) primary key references conversation (id),
    offer_id        varchar(36) not null
);
