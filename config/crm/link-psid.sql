-- Links the PSID to an existing contact; later conversations of this customer are then recognised.
update contact set facebook_psid = :#psid where id = :#contactId
