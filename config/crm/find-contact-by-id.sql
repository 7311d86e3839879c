-- The contact with id :#contactId, to check it exists before a PSID is linked to it.
select id as "contactId" from contact where id = :#contactId
