package dev.baton.hub.persistence;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.baton.hub.config.HubProperties;

/** Which durability helper the configured database needs. */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

    @Bean
    DurableCommits durableCommits(DataSource dataSource, @Value("${spring.datasource.url}") String url,
                                  HubProperties properties) {
        if (url.startsWith("jdbc:h2:file:") || url.startsWith("jdbc:h2:./") || url.startsWith("jdbc:h2:/")) {
            return new H2GroupCheckpoint(dataSource, properties.engine().h2CheckpointInterval());
        }
        return DurableCommits.ON_COMMIT;
    }
}
