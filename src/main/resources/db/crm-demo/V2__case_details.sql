-- What agents write when they open a case from a conversation, and how it was resolved.
alter table crm_case add column description varchar(4000);
alter table crm_case add column origin varchar(64);
alter table crm_case add column resolution varchar(4000);
alter table crm_case add column resolved_at timestamp with time zone;
