-- An agent whose client stopped sending heartbeats is set Offline; what it had chosen is kept so that it comes
-- back as it was if it returns within the grace period (and keeps its conversations).
alter table agent_state add column presence_before_disconnect varchar(16);
alter table agent_state add column disconnected_at timestamp with time zone;
