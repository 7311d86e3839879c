-- A small demo CRM so that `mvn spring-boot:run` shows enrichment working. A real deployment points
-- hub.crm.datasource at the organisation's CRM database (or replaces routes/crm.camel.yaml) and turns
-- hub.crm.demo-schema off.
create table contact (
    id            varchar(128) primary key,
    facebook_psid varchar(64),
    first_name    varchar(200),
    last_name     varchar(200),
    email         varchar(320),
    phone         varchar(64),
    language      varchar(16),
    tier          varchar(32),
    vip           boolean default false not null,
    source        varchar(32),
    created_at    timestamp with time zone default current_timestamp not null,
    constraint uq_contact_psid unique (facebook_psid)
);

create table crm_case (
    id          varchar(64)  primary key,
    contact_id  varchar(128) not null references contact (id),
    title       varchar(500) not null,
    status      varchar(32)  not null,
    created_at  timestamp with time zone default current_timestamp not null
);

insert into contact (id, facebook_psid, first_name, last_name, email, phone, language, tier, vip, source) values
    ('C-1001', '6754321987654321', 'Anna', 'Schmidt', 'anna.schmidt@example.com', '+49 30 1234567', 'de_DE', 'gold', true, 'demo'),
    ('C-1002', '6754321987654322', 'James', 'Miller', 'james.miller@example.com', '+44 20 7946 0018', 'en_GB', 'standard', false, 'demo'),
    ('C-1003', null, 'Lena', 'Fischer', 'lena.fischer@example.com', '+49 89 7654321', 'de_DE', 'silver', false, 'demo'),
    ('C-1004', '6754321987654324', 'Maria', 'Garcia', 'maria.garcia@example.com', '+34 91 123 4567', 'es_ES', 'platinum', true, 'demo');

insert into crm_case (id, contact_id, title, status) values
    ('CASE-501', 'C-1001', 'Parcel 4711 not delivered', 'open'),
    ('CASE-502', 'C-1001', 'Invoice 2026-118 questioned', 'resolved'),
    ('CASE-503', 'C-1004', 'Upgrade to platinum plan', 'open');
