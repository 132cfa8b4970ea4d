package dev.baton.governance.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {

    @Test
    void shouldGenerateOneUserPerRoleAndAnApproverClearedForPersonalData(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("credentials");

        // when
        List<UserEntry> generated = UsersFile.readOrGenerate(file);

        // then: the approver decides on the customer's data; operators and auditors see it masked
        Map<String, List<String>> roles = UsersFile.read(file).stream()
                .collect(Collectors.toMap(UserEntry::name, UserEntry::roles));
        assertThat(UsersFile.read(file)).isEqualTo(generated);
        assertThat(roles.get("approver")).contains(Roles.PERSONAL_DATA, "sales-manager");
        assertThat(roles.get("operator")).containsExactly(Roles.OPERATOR);
        assertThat(roles.get("auditor")).containsExactly(Roles.AUDITOR);
        assertThat(roles).containsOnlyKeys("admin", "developer", "operator", "auditor", "integration", "approver");
    }
}
