package io.messengerhub.cluster;

import io.messengerhub.HubDatabaseReady;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** ShedLock on the hub's own database: the locks of the once-only timer routes. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfiguration.class);

    @Bean
    LockProvider lockProvider(JdbcTemplate hubDatabase, ClusterProperties cluster) {
        return lockProvider(hubDatabase, cluster.instanceId());
    }

    @Bean
    ApplicationListener<PayloadApplicationEvent<HubDatabaseReady>> releaseOwnLocks(JdbcTemplate hubDatabase, ClusterProperties cluster) {
        return ApplicationListener.forPayload((HubDatabaseReady ready) -> releaseLocksOf(hubDatabase, cluster.instanceId()));
    }

    /**
     * Gives up what an earlier run of this same instance (same {@code hub.cluster.instance-id}) still held when it was
     * killed, before any timer route starts: the instance restarting need not wait for its own locks to run out. The
     * names of instances are unique (docs), so no other live instance holds these.
     */
    static int releaseLocksOf(JdbcTemplate hubDatabase, String instanceId) {
        int released = hubDatabase.update("update shedlock set lock_until = locked_at where locked_by = ? and lock_until > locked_at",
                instanceId);
        if (released > 0) {
            LOG.info("Released {} once-only timer locks that an earlier run of instance {} still held", released, instanceId);
        }
        return released;
    }

    /** The locks as the hub instance {@code instanceId} takes them. */
    static LockProvider lockProvider(JdbcTemplate hubDatabase, String instanceId) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(hubDatabase)
                .withTableName("shedlock")
                .withLockedByValue(instanceId)
                // The database's clock decides when a lock ends, not each instance's own (they may differ), nor the
                // hub's Clock bean (tests move that one).
                .usingDbTime()
                .build());
    }
}
