-- The contact whose Facebook PSID is :#psid. Column aliases are the contract with the hub (docs/crm-integration.md).
select id          as "contactId",
       first_name  as "firstName",
       last_name   as "lastName",
       email       as "email",
       phone       as "phone",
       language    as "language",
       tier        as "tier",
       vip         as "vip"
from contact
where facebook_psid = :#psid
