package io.messengerhub.customer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.messengerhub.HubDatabaseReady;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Two databases: the hub's own ({@code spring.datasource}, primary, migrated by Flyway) and the organisation's
 * CRM ({@code hub.crm.datasource}), which the CRM routes reach as {@code #crmDataSource}. The CRM pool fails fast,
 * so a CRM outage costs a new conversation at most the lookup timeout.
 */
@Configuration(proxyBeanMethods = false)
public class CrmDatabaseConfiguration {

    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties hubDatabase) {
        return hubDatabase.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    @Bean(destroyMethod = "close")
    HikariDataSource crmDataSource(CrmProperties crm) {
        var pool = new HikariDataSource();
        pool.setPoolName("crm");
        pool.setJdbcUrl(crm.datasource().url());
        pool.setUsername(crm.datasource().username());
        pool.setPassword(crm.datasource().password());
        pool.setConnectionTimeout(crm.datasource().connectionTimeout().toMillis());
        pool.setMaximumPoolSize(crm.datasource().maximumPoolSize());
        // Start even while the CRM is down: the hub must keep taking webhooks and mark customers incomplete.
        pool.setInitializationFailTimeout(-1);
        return pool;
    }

    /**
     * Creates and seeds the demo CRM so the README's run command shows enrichment; off for a real CRM. Made when the
     * hub's own database is ready, and waited for as that one is (DatabaseStartup).
     */
    @Bean
    ApplicationListener<PayloadApplicationEvent<HubDatabaseReady>> crmDemoSchema(@Qualifier("crmDataSource") DataSource crm, CrmProperties properties) {
        return ApplicationListener.forPayload((HubDatabaseReady ready) -> {
            if (properties.demoSchema()) {
                Flyway.configure().dataSource(crm).locations("classpath:db/crm-demo").table("crm_demo_schema_history")
                        .load().migrate();
            }
        });
    }
}
