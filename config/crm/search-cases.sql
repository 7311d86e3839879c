-- Cases whose id or title matches the words (pattern is "%words%", lower case), newest first; only the contact's
-- cases when contactId is given.
select id as "caseId", contact_id as "contactId", title as "title", status as "status", created_at as "createdAt"
from crm_case
where contact_id = coalesce(cast(:#contactId as varchar(128)), contact_id)
  and (lower(title) like :#pattern or lower(id) like :#pattern)
order by created_at desc
limit 20
