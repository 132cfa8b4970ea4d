package dev.baton.hub.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import dev.baton.hub.HubCodes;

/**
 * The contract's error body for requests refused before any controller sees them: by Spring Security's
 * firewall (an encoded {@code %}, {@code ..}, {@code //} or a line break in the path) and by Tomcat itself
 * (a {@code %00} in the path), which would otherwise answer with Boot's or Tomcat's own error page.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, rejected) -> {
            response.setStatus(400);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            JSON.writeValue(response.getOutputStream(), new ErrorBody("The request's path is not one the hub accepts"
                    + " (an encoded '%', '/' or '\\\\', '..', '//' or a control character)", HubCodes.BAD_REQUEST,
                    List.of()));
        };
    }

    /**
     * Tomcat's errors: on the host, so that requests no context takes are answered the same. Unordered, this
     * customizer runs after Boot's (which adds Tomcat's plain valve), so this valve is the inner one and reports.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports() {
        return new WebServerFactoryCustomizer<>() {
            @Override
            public void customize(TomcatServletWebServerFactory factory) {
                factory.addContextCustomizers(context -> context.getParent().getPipeline().addValve(new JsonErrorReport()));
            }
        };
    }

    /** An error Tomcat reports itself, as the contract's body; placed innermost, so it reports first. */
    static final class JsonErrorReport extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            String code = switch (status) {
                case 404 -> HubCodes.NOT_FOUND;
                case 405 -> HubCodes.METHOD_NOT_ALLOWED;
                case 413 -> HubCodes.TOO_LARGE;
                case 415 -> HubCodes.UNSUPPORTED_MEDIA_TYPE;
                default -> status >= 500 ? HubCodes.INTERNAL : HubCodes.BAD_REQUEST;
            };
            try {
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(JSON.writeValueAsString(new ErrorBody("The request could not be handled (HTTP "
                            + status + ")", code, List.of())));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the connection is gone or the response committed meanwhile: nothing more to tell
            }
        }
    }
}
