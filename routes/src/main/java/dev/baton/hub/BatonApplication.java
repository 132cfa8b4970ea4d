package dev.baton.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Starts the hub: {@code java -jar routes/target/baton.jar}. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class BatonApplication {

    public static void main(String[] args) {
        try {
            SpringApplication.run(BatonApplication.class, args);
        } catch (RuntimeException failed) {
            // Spring Boot has reported why and closed the context; a thread a library leaves behind (Artemis'
            // in-VM connector pool) must not keep a hub that could not start running, so the run command ends.
            System.exit(1);
        }
    }
}
