-- The conversation's last six scored customer messages (sentiment/RecentScores), so that scoring a new message
-- reads nothing back from the transcript. Null in the conversations opened before: read from the transcript once.
alter table conversation add column recent_sentiment varchar(512);
