package dev.baton.governance.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {

    @TempDir
    Path dir;

    @Test
    void generatesOneUserPerBuiltInRoleAndPerEventSourceReadableByTheOwnerOnly() throws IOException {
        Path file = dir.resolve("data").resolve("credentials");

        List<UserEntry> users = UsersFile.readOrGenerate(file, List.of("shop", "wms", "sap"));

        Map<String, List<String>> roles = users.stream().collect(Collectors.toMap(UserEntry::name, UserEntry::roles));
        assertThat(users).extracting(UserEntry::name).containsExactly("admin", "developer", "operator", "auditor",
                "source-shop", "source-wms", "source-sap", "approver");
        assertThat(roles.get("source-shop")).containsExactly("integration:shop");
        assertThat(roles.get("source-wms")).containsExactly("integration:wms");
        assertThat(roles.get("source-sap")).containsExactly("integration:sap");
        assertThat(roles.values()).noneMatch(r -> r.contains(Roles.INTEGRATION)); // no all-sources user any more
        // the approver decides on the customer's data; operators and auditors see it masked
        assertThat(roles.get("approver")).contains("sales-manager", "sales-director", Roles.PERSONAL_DATA);
        assertThat(roles.get("operator")).containsExactly(Roles.OPERATOR);
        assertThat(roles.get("auditor")).containsExactly(Roles.AUDITOR);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(users).extracting(UserEntry::password).doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(p).hasSizeGreaterThanOrEqualTo(24));
        // what is in the file is what the hub reads back
        assertThat(UsersFile.read(file)).isEqualTo(users);
    }

    @Test
    void anExistingFileIsReadAsItIsNeverRegenerated() throws IOException {
        Path file = dir.resolve("credentials");
        List<UserEntry> first = UsersFile.readOrGenerate(file, List.of("shop"));
        String before = Files.readString(file, StandardCharsets.UTF_8);

        List<UserEntry> again = UsersFile.readOrGenerate(file, List.of("shop", "crm"));

        assertThat(again).isEqualTo(first);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(before);
    }

    @Test
    void aSourceNameTheEventsPathWouldNotAcceptIsRefusedBeforeAnythingIsWritten() {
        Path file = dir.resolve("credentials");

        assertThatThrownBy(() -> UsersFile.readOrGenerate(file, List.of("shop", "a:b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a:b'");
        assertThat(file).doesNotExist();
    }

    @Test
    void aMalformedLineIsNamedWithoutItsContent() {
        assertThatThrownBy(() -> UsersFile.parse(List.of("ok:secret:admin", "broken-line-with-secret"), "users.txt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2 of users.txt")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aUserNameLongerThanTheHubRecordsIsRefusedNamingItsLine() {
        String name = "u".repeat(UserEntry.MAX_NAME_LENGTH + 1);

        assertThatThrownBy(() -> UsersFile.parse(List.of("ok:secret:admin", name + ":pw-secret:operator"), "users.txt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user name on line 2 of users.txt")
                .hasMessageContaining("at most 100 characters, but it has 101")
                .hasMessageNotContaining("secret");
        assertThat(UsersFile.parse(List.of("u".repeat(UserEntry.MAX_NAME_LENGTH) + ":pw:operator"), "users.txt"))
                .hasSize(1);
    }
}
