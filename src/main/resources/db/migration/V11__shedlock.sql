-- ShedLock's table: which hub instance runs a once-only timer route now (name = the route id), until when
-- (cluster/OnceAcrossHubs, routePolicy "#onceAcrossHubs"). Times are the database's own, in UTC, so the instances'
-- clocks need not agree.
create table shedlock (
    name varchar(64) not null primary key,
    lock_until timestamp not null,
    locked_at timestamp not null,
    locked_by varchar(255) not null
);
