-- What the daily figures need of a conversation (figures/DailyFigures): when an agent first took it and who, and when
-- an agent first answered the customer. Set once, in the transaction that assigns or records the sent reply.
alter table conversation add column first_assigned_at timestamp with time zone;
alter table conversation add column first_agent_id varchar(64);
alter table conversation add column first_response_at timestamp with time zone;
create index ix_conversation_opened on conversation (opened_at);
