package dev.crossbar.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdminAuthTest {

    @Test
    void shouldBeDisabledWithoutAToken() {
        AdminAuth auth = new AdminAuth(null);
        assertEquals(AdminAuth.Verdict.DISABLED, auth.check("Bearer anything"));
        assertEquals(AdminAuth.Verdict.DISABLED, auth.check(null));
    }

    @Test
    void shouldAcceptOnlyTheBearerToken() {
        AdminAuth auth = new AdminAuth("s3cret-admin-token");
        assertEquals(AdminAuth.Verdict.ALLOWED, auth.check("Bearer s3cret-admin-token"));
        assertEquals(AdminAuth.Verdict.ALLOWED, auth.check("bearer s3cret-admin-token "));
        assertEquals(AdminAuth.Verdict.MISSING, auth.check(null));
        assertEquals(AdminAuth.Verdict.MISSING, auth.check("  "));
        assertEquals(AdminAuth.Verdict.WRONG, auth.check("Bearer s3cret-admin-toke"));
        assertEquals(AdminAuth.Verdict.WRONG, auth.check("s3cret-admin-token"));
        assertEquals(AdminAuth.Verdict.WRONG, auth.check("Basic czNjcmV0"));
    }
}
