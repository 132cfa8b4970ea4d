package dev.baton.connectors.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.connectors.ConnectorCodes;

/** Secrets by reference: read from an owner-only file or the environment, rotated without a restart. */
class SecretsTest {

    @TempDir
    Path dir;

    private Path file(String name, String content, String permissions) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(permissions));
        return f;
    }

    @Test
    void shouldResolveReferencesFromTheFileBeforeTheEnvironment() throws Exception {
        // given
        Path f = file("secrets", "# the CRM's API token\ncrm-token = t0k3n-from-file\n\n", "rw-------");
        Secrets secrets = new Secrets(f, Map.of("BATON_SECRET_CRM_TOKEN", "from-env", "BATON_SECRET_ERP_KEY", "k3y"));

        // when
        String header = secrets.resolve("Bearer {{secret:crm-token}}, key {{secret:erp-key}}");

        // then
        assertThat(header).isEqualTo("Bearer t0k3n-from-file, key k3y");
        assertThat(secrets.has("crm-token")).isTrue();
        assertThat(secrets.has("erp-key")).isTrue();
        assertThat(secrets.has("other")).isFalse();
        assertThat(Secrets.references("a {{secret:x}} b {{secret:y.z}}")).containsExactly("x", "y.z");
        assertThat(Secrets.environmentName("crm-token.v2")).isEqualTo("BATON_SECRET_CRM_TOKEN_V2");
    }

    @Test
    void shouldUseARotatedValueFromTheNextResolutionOn() throws Exception {
        // given
        Path f = file("secrets", "crm-token=first\n", "rw-------");
        Secrets secrets = new Secrets(f, Map.of());
        assertThat(secrets.resolve("{{secret:crm-token}}")).isEqualTo("first");

        // when: rewritten in place
        Files.writeString(f, "crm-token=second-value\n");

        // then
        assertThat(secrets.resolve("{{secret:crm-token}}")).isEqualTo("second-value");

        // when: replaced by a file moved over it, as deployment tools rotate
        Path next = file("secrets.new", "crm-token=third\n", "rw-------");
        Files.move(next, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        // then
        assertThat(secrets.resolve("{{secret:crm-token}}")).isEqualTo("third");
    }

    @Test
    void shouldRefuseToStartOnAFileOthersMayRead() throws Exception {
        // given
        Path f = file("secrets", "crm-token=t0k3n\n", "rw-r--r--");

        // then
        assertThatThrownBy(() -> new Secrets(f, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("rw-r--r--").hasMessageContaining("chmod 600")
                .hasMessageNotContaining("t0k3n");
        assertThatThrownBy(() -> new Secrets(dir.resolve("missing"), Map.of()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void shouldFailACallWhoseSecretIsUnknownNamingTheSecretNeverAValue() throws Exception {
        // given
        Path f = file("secrets", "crm-token=t0k3n\n", "rw-------");
        Secrets secrets = new Secrets(f, Map.of());

        // then
        assertThatThrownBy(() -> secrets.resolve("{{secret:crm-token}} {{secret:erp-key}}"))
                .isInstanceOfSatisfying(SecretUnavailableException.class,
                        e -> assertThat(e.code()).isEqualTo(ConnectorCodes.SECRET_UNKNOWN))
                .hasMessageContaining("'erp-key'").hasMessageContaining("BATON_SECRET_ERP_KEY")
                .hasMessageNotContaining("t0k3n");
    }

    @Test
    void shouldFailCallsWhileTheFileHasBecomeReadableByOthers() throws Exception {
        // given
        Path f = file("secrets", "crm-token=t0k3n\n", "rw-------");
        Secrets secrets = new Secrets(f, Map.of());

        // when: only its permissions change
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));

        // then
        assertThatThrownBy(() -> secrets.resolve("{{secret:crm-token}}"))
                .isInstanceOfSatisfying(SecretUnavailableException.class,
                        e -> assertThat(e.code()).isEqualTo(ConnectorCodes.SECRET_FILE))
                .hasMessageNotContaining("t0k3n");
    }

    @Test
    void shouldNotQuoteALineThatIsNotNameEqualsValue() throws Exception {
        Path f = file("secrets", "crm-token=ok\nlooks-like-a-pasted-t0k3n\n", "rw-------");
        assertThatThrownBy(() -> new Secrets(f, Map.of()))
                .hasMessageContaining("not name=value").hasMessageNotContaining("t0k3n");
    }
}
