package io.mongoresume.job.precheck;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How a connectionStatus reply is read; the find itself runs in {@link PrecheckITCase}. */
class SourceReadRightsCheckTest {

    @Test
    void aServerWithoutAccessControlHasNoUser() {
        Map<String, Object> data = SourceReadRightsCheck.privileges(status("[]", "[]"), "shop");
        assertThat(data)
                .containsEntry("users", List.of())
                .containsEntry("findPrivilege", false)
                .containsEntry(
                        "summary",
                        "connectionStatus: no authenticated user (server without access control)");
    }

    @Test
    void findOnTheDatabaseAnyDatabaseOrAnyResourceIsGranted() {
        String user = "[{user: 'app', db: 'admin'}]";
        assertThat(
                        SourceReadRightsCheck.privileges(
                                status(user, privilege("{db: 'shop', collection: ''}")), "shop"))
                .containsEntry("findPrivilege", true)
                .containsEntry(
                        "summary",
                        "connectionStatus: authenticated as app@admin, find privilege on shop");
        assertThat(
                        SourceReadRightsCheck.privileges(
                                status(user, privilege("{db: '', collection: ''}")), "shop"))
                .containsEntry("findPrivilege", true);
        assertThat(
                        SourceReadRightsCheck.privileges(
                                status(user, privilege("{anyResource: true}")), "shop"))
                .containsEntry("findPrivilege", true);
    }

    @Test
    void findOnAnotherDatabaseIsNotGranted() {
        Map<String, Object> data =
                SourceReadRightsCheck.privileges(
                        status(
                                "[{user: 'app', db: 'admin'}]",
                                privilege("{db: 'billing', collection: ''}")),
                        "shop");
        assertThat(data)
                .containsEntry("users", List.of("app@admin"))
                .containsEntry("findPrivilege", false)
                .containsEntry("summary", "connectionStatus: authenticated as app@admin");
    }

    private static String privilege(String resource) {
        return "[{resource: " + resource + ", actions: ['find', 'listCollections']}]";
    }

    private static Document status(String users, String privileges) {
        return Document.parse(
                "{authInfo: {authenticatedUsers: "
                        + users
                        + ", authenticatedUserPrivileges: "
                        + privileges
                        + "}}");
    }
}
