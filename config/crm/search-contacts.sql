-- Contacts whose first name, last name, "first last", email or phone contains the words (pattern is "%words%" in
-- lower case, with %, _ and \ escaped by \), by name; at most 20.
select id          as "contactId",
       first_name  as "firstName",
       last_name   as "lastName",
       email       as "email",
       phone       as "phone",
       tier        as "tier",
       vip         as "vip"
from contact
where lower(first_name) like :#pattern escape '\'
   or lower(last_name) like :#pattern escape '\'
   or lower(concat(first_name, ' ', last_name)) like :#pattern escape '\'
   or lower(email) like :#pattern escape '\'
   or lower(phone) like :#pattern escape '\'
order by last_name, first_name, id
limit 20
