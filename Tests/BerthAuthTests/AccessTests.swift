import BerthAuth
import BerthCrypto
import BerthMetadata
import Testing

@Suite struct AccessTests {
    @Test func membersAnonymousAndPublicProjects() async throws {
        let f = try IdentityFixture()
        let admin = try await f.user("boss", admin: true)
        let dev = try await f.user("dev"), guest = try await f.user("guest"), stranger = try await f.user("stranger")
        let project = try await f.service.createProject(name: "team", creator: admin)
        let pub = try await f.service.createProject(name: "pub", creator: admin, isPublic: true)
        guard case .user(let d) = dev, case .user(let g) = guest else { return }
        _ = try await f.service.addMember(projectID: project.id, userID: d.id, role: .developer)
        _ = try await f.service.addMember(projectID: project.id, userID: g.id, role: .guest)
        let decider = AccessDecider(store: f.store)
        #expect(try await decider.allows(dev, .push, in: project))
        #expect(try await decider.allows(guest, .pull, in: project))
        #expect(!(try await decider.allows(guest, .push, in: project)))
        #expect(!(try await decider.allows(stranger, .pull, in: project)))
        #expect(!(try await decider.allows(.anonymous, .pull, in: project)))
        #expect(try await decider.allows(.anonymous, .pull, in: pub))
        #expect(!(try await decider.allows(.anonymous, .push, in: pub)))
        #expect(!(try await decider.allows(stranger, .push, in: pub)))
        #expect(try await decider.allows(admin, .push, in: project))
        #expect(!(try await decider.allows(admin, .push, inProjectNamed: "missing")))
    }

    @Test func projectCreationRestriction() async throws {
        let f = try IdentityFixture()
        let user = try await f.user("someone")
        _ = try await f.service.createProject(name: "mine", creator: user)
        try await f.service.setProjectCreationRestriction("adminonly")
        await #expect(throws: AuthError.forbidden("only system administrators may create projects")) {
            _ = try await f.service.createProject(name: "other", creator: user)
        }
        await #expect(throws: AuthError.self) { _ = try await f.service.createProject(name: "Bad Name", creator: user) }
    }

    @Test func robotsExpireDisableAndHoldOnlyTheirGrants() async throws {
        let f = try IdentityFixture()
        let admin = try await f.user("root", admin: true)
        let project = try await f.service.createProject(name: "ci", creator: admin)
        let grants = [RobotPermission(kind: "project", namespace: "ci", access: [RobotAccess(resource: "repository", action: "pull")])]
        let (robot, secret) = try await f.service.createRobot(name: "puller", project: project, durationDays: 1,
                                                               permissions: grants, creator: "root")
        #expect(robot.name == "robot$ci+puller")
        #expect(PasswordPolicy.isValid(secret))
        #expect(robot.secretHash != secret)
        let auth = Authenticator(service: f.service, cache: CredentialCache(ttlSeconds: 1, now: { f.clock.now }))
        guard case .robot(let principal)? = try await auth.authenticate(name: robot.name, secret: secret) else {
            Issue.record("robot did not authenticate"); return
        }
        let decider = AccessDecider(store: f.store)
        #expect(try await decider.allows(.robot(principal), .pull, in: project))
        #expect(!(try await decider.allows(.robot(principal), .push, in: project)))
        #expect(try await auth.authenticate(name: robot.name, secret: secret + "x") == nil)
        f.clock.advance(86_401)
        #expect(try await auth.authenticate(name: robot.name, secret: secret) == nil, "expired")
        let (forever, secret2) = try await f.service.createRobot(name: "pusher", project: project, durationDays: -1,
                                                                  permissions: grants, creator: "root")
        #expect(try await auth.authenticate(name: forever.name, secret: secret2) != nil)
        var disabled = forever
        disabled.isDisabled = true
        try await f.store.updateRobot(disabled)
        f.clock.advance(2)
        #expect(try await auth.authenticate(name: forever.name, secret: secret2) == nil, "disabled")
        let fresh = try await f.service.refreshRobotSecret(id: robot.id)
        #expect(fresh != secret)
        #expect(try await auth.authenticate(name: "robot$ci+puller", secret: secret, allowRobots: false) == nil)
    }

    @Test func robotsReadPublicProjectsLikeEveryoneElse() async throws {
        let f = try IdentityFixture()
        let admin = try await f.user("root", admin: true)
        let ci = try await f.service.createProject(name: "ci", creator: admin)
        let pub = try await f.service.createProject(name: "pub", creator: admin, isPublic: true)
        let grants = [RobotPermission(kind: "project", namespace: "ci", access: [RobotAccess(resource: "repository", action: "push")])]
        let principal = Principal.robot(RobotPrincipal(id: 1, name: "robot$ci+p", level: "project", projectID: ci.id,
                                                       permissions: grants))
        let decider = AccessDecider(store: f.store)
        #expect(try await decider.allows(principal, .pull, in: pub))
        #expect(try await decider.allows(principal, Permission("project", "read"), in: pub))
        #expect(!(try await decider.allows(principal, .push, in: pub)))
        #expect(!(try await decider.allows(principal, Permission("project", "read"), in: ci)))
        #expect(try await decider.allows(principal, .pull, in: ci), "push implies pull, as in Harbor")
        #expect(!(try await decider.allows(principal, .deleteRepository, in: ci)))
        #expect(try await decider.permissions(of: principal, in: pub).contains(.pull))
        #expect(!(try await decider.permissions(of: principal, in: pub).contains(.push)))
    }

    @Test func tokensGrantOnlyAllowedActionsAndExpire() async throws {
        let f = try IdentityFixture()
        let admin = try await f.user("chief", admin: true)
        let guest = try await f.user("visitor")
        let project = try await f.service.createProject(name: "app", creator: admin)
        guard case .user(let g) = guest else { return }
        _ = try await f.service.addMember(projectID: project.id, userID: g.id, role: .guest)
        let tokens = TokenService(key: try ECDSAKey.generate(), lifetimeSeconds: 60, decider: AccessDecider(store: f.store),
                                  now: { f.clock.now })
        let scopes = [TokenScope(type: "repository", name: "app/web", actions: ["pull", "push"]),
                      TokenScope(type: "repository", name: "nope/web", actions: ["pull"])]
        let issued = try await tokens.issue(for: guest, scopes: scopes)
        #expect(issued.access[0].actions == ["pull"])
        #expect(issued.access[1].actions == [])
        let claims = tokens.verify(issued.token)
        #expect(claims?.sub == "visitor" && claims?.aud == "berth-registry")
        #expect(try await tokens.issue(for: admin, scopes: scopes).access[0].actions == ["pull", "push"])
        #expect(try await tokens.issue(for: .anonymous, scopes: scopes).access[0].actions == [])
        f.clock.advance(61)
        #expect(tokens.verify(issued.token) == nil, "expired")
    }

    @Test func sessionsAndLockout() async throws {
        let f = try IdentityFixture()
        _ = try await f.user("web")
        let auth = Authenticator(service: f.service)
        let sessions = SessionManager(authenticator: auth, throttle: LoginThrottle(maxFailures: 3, now: { f.clock.now }))
        let started = try await sessions.login(principal: "web", password: "Passw0rd-web", remoteAddress: "1.2.3.4:5")
        let resumed = try await sessions.resume(cookieValue: started.cookieValue)
        #expect(resumed?.csrfToken == started.csrfToken)
        #expect(try await sessions.resume(cookieValue: "forged") == nil)
        try await sessions.logout(cookieValue: started.cookieValue)
        #expect(try await sessions.resume(cookieValue: started.cookieValue) == nil)
        for _ in 0..<3 {
            await #expect(throws: AuthError.unauthorized("invalid user name or password")) {
                _ = try await sessions.login(principal: "web", password: "wrong", remoteAddress: "1.2.3.4:6")
            }
        }
        await #expect(throws: AuthError.self) {
            _ = try await sessions.login(principal: "web", password: "Passw0rd-web", remoteAddress: "1.2.3.4:7")
        }
        _ = try await sessions.login(principal: "web", password: "Passw0rd-web", remoteAddress: "5.6.7.8:1")
    }
}
