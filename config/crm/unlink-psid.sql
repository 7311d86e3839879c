-- A PSID belongs to one contact: forget it on any contact before linking it to another.
update contact set facebook_psid = null where facebook_psid = :#psid
