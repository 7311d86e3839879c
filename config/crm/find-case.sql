-- One case by its id.
select id as "caseId", contact_id as "contactId", title as "title", status as "status", created_at as "createdAt",
       resolution as "resolution"
from crm_case
where id = :#caseId
