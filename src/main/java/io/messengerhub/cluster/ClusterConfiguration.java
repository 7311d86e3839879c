package io.messengerhub.cluster;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** ShedLock on the hub's own database: the locks of the once-only timer routes. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    LockProvider lockProvider(JdbcTemplate hubDatabase, ClusterProperties cluster) {
        return lockProvider(hubDatabase, cluster.instanceId());
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
