import BerthAuth
import Testing

@Suite struct PolicyAndRoleTests {
    @Test(arguments: [("Passw0rd", true), ("passw0rd", false), ("PASSW0RD", false), ("Password", false),
                      ("Pa0", false), ("Passw0r", false), (String(repeating: "Aa1", count: 43), false),
                      (String(repeating: "Aa1", count: 42), true), (String(repeating: "Aa1", count: 42) + "xx", true),
                      (String(repeating: "Aa1", count: 42) + "xxx", false), ("PÄSSWÖRD1", false), ("pässwörd1", false),
                      ("Pass wörd 1", true), ("１２３Passwd", false)])
    func passwordPolicy(password: String, valid: Bool) {
        #expect(PasswordPolicy.isValid(password) == valid)
    }

    @Test(arguments: [("Passw0r", "7 characters"), (String(repeating: "Aa1", count: 43), "129 characters"),
                      ("passw0rd", "uppercase"), ("PASSW0RD", "lowercase"), ("Password", "digit")])
    func passwordErrorsCarryHarborsMessageAndTheReason(password: String, reason: String) {
        #expect(throws: AuthError.self) { try PasswordPolicy.validate(password) }
        do {
            try PasswordPolicy.validate(password)
        } catch .invalidPassword(let message) {
            #expect(message.hasPrefix(PasswordPolicy.message))
            #expect(message.contains(reason))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func pushAndPullByRole() {
        let expected: [ProjectRole: (pull: Bool, push: Bool, delete: Bool)] = [
            .projectAdmin: (true, true, true), .maintainer: (true, true, true), .developer: (true, true, false),
            .guest: (true, false, false), .limitedGuest: (true, false, false),
        ]
        for (role, rights) in expected {
            #expect(RoleMatrix.allows(role, .pull) == rights.pull, "\(role) pull")
            #expect(RoleMatrix.allows(role, .push) == rights.push, "\(role) push")
            #expect(RoleMatrix.allows(role, .deleteRepository) == rights.delete, "\(role) delete")
        }
    }

    /// Every role x action: a more privileged role holds everything a less privileged one holds, and
    /// member/robot management is the project admin's alone.
    @Test func matrixIsMonotonic() {
        let ordered: [ProjectRole] = [.limitedGuest, .guest, .developer, .maintainer, .projectAdmin]
        for permission in RoleMatrix.allPermissions {
            var seen = false
            for role in ordered {
                let allowed = RoleMatrix.allows(role, permission)
                #expect(!(seen && !allowed), "\(role) lacks \(permission) that a lesser role has")
                seen = seen || allowed
            }
        }
        for action in ["create", "update", "delete"] {
            for role in ordered {
                #expect(RoleMatrix.allows(role, Permission("member", action)) == (role == .projectAdmin))
                #expect(RoleMatrix.allows(role, Permission("robot", action)) == (role == .projectAdmin))
            }
        }
        #expect(!RoleMatrix.allows(.limitedGuest, Permission("member", "list")))
        #expect(RoleMatrix.allows(.guest, Permission("member", "list")))
        #expect(RoleMatrix.allows(.maintainer, Permission("scan", "create")))
        #expect(!RoleMatrix.allows(.developer, Permission("scan", "create")))
    }

    @Test func scopesParse() {
        let scopes = TokenScope.parseAll(["repository:library/a:pull,push registry:catalog:*", "repository:host:5000/x:pull"])
        #expect(scopes.count == 3)
        #expect(scopes[0] == TokenScope(type: "repository", name: "library/a", actions: ["pull", "push"]))
        #expect(scopes[1].type == "registry" && scopes[1].actions == ["*"])
        #expect(scopes[2].name == "host:5000/x")
        #expect(TokenScope("nonsense") == nil)
    }
}
