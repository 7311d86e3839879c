-- The contact's cases that are not resolved, newest first.
select id as "caseId", title as "title", status as "status", created_at as "createdAt"
from crm_case
where contact_id = :#contactId and status <> 'resolved'
order by created_at desc
