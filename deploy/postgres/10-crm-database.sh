#!/bin/bash
# Creates the demo CRM database `crm` and its owner next to the hub's own database (docker-compose.yml mounts this
# directory as /docker-entrypoint-initdb.d). The postgres image runs it once, when the data volume is new: on an
# existing volume, run the two statements by hand. The hub creates and seeds the tables itself
# (HUB_CRM_DEMO_SCHEMA=true). A deployment whose hub points at the organisation's CRM does not need this database.
set -e

# psql variables (:'name') quote the values, so any password works.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v crm_user="$CRM_DATABASE_USER" -v crm_password="$CRM_DATABASE_PASSWORD" <<'SQL'
CREATE ROLE :"crm_user" LOGIN PASSWORD :'crm_password';
CREATE DATABASE crm OWNER :"crm_user";
REVOKE CONNECT ON DATABASE crm FROM PUBLIC;
SQL
