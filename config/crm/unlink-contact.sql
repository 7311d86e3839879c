-- Unlinks the PSID from the contact; later conversations of this customer are no longer recognised as this contact.
update contact set facebook_psid = null where id = :#contactId and facebook_psid = :#psid
