-- Cases whose id or title contains the words (pattern is "%words%" in lower case, with %, _ and \ escaped by \),
-- newest first; only the contact's cases when contactId is given.
select id as "caseId", contact_id as "contactId", title as "title", status as "status", created_at as "createdAt"
from crm_case
where contact_id = coalesce(cast(:#contactId as varchar(128)), contact_id)
  and (lower(title) like :#pattern escape '\' or lower(id) like :#pattern escape '\')
order by created_at desc
limit 20
