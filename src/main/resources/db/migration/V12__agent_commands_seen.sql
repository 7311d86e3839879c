-- The agents' commands carried out, by the requestId the agent gave them (agent/AgentCommands): a command delivered
-- again (its broker transaction rolled back by a fault after the database had committed what it did) is not carried
-- out or answered a second time. Rows older than a day are deleted by the retention run (privacy/Retention).
create table agent_command (
    agent_id varchar(64) not null,
    request_id varchar(128) not null,
    received_at timestamp not null,
    primary key (agent_id, request_id)
);
