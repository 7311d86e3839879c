-- The CRM case an agent opened or linked from the conversation (the case itself lives in the CRM).
alter table conversation add column case_id varchar(128);

-- Each customer message's sentiment score (-1 .. 1), and the conversation's rolling level over the last six.
alter table message add column sentiment double precision;
alter table conversation add column sentiment_level varchar(24);
alter table conversation add column sentiment_score double precision;
