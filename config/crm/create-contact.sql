-- A new contact for a customer the CRM did not know, from their Facebook profile.
insert into contact (id, facebook_psid, first_name, last_name, language, source)
values (:#contactId, :#psid, :#firstName, :#lastName, :#language, 'facebook')
