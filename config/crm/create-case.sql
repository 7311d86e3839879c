-- A new case for the contact, opened by an agent from a Messenger conversation.
insert into crm_case (id, contact_id, title, description, status, origin)
values (:#caseId, :#contactId, :#title, :#description, 'open', 'messenger')
