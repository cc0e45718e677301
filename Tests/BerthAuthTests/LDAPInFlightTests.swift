import BerthAuth
import Glibc
import Testing

/// A directory that accepts connections but never answers: logins wait for `ldap_timeout` and then fail,
/// and beyond `LDAPDirectory.maximumInFlight` waiting calls the rest fail at once.
@Suite struct LDAPInFlightTests {
    /// A loopback socket that listens (the kernel completes handshakes) but never reads or answers.
    static func silentListener() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(fd, 128) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func aHangingDirectoryFailsLoginsAndBoundsWaitingCalls() async throws {
        let listener = try Self.silentListener()
        defer { close(listener.fd) }
        var settings = LDAPSettings()
        settings.url = "ldap://127.0.0.1:\(listener.port)"
        settings.baseDN = "dc=t"
        settings.timeoutSeconds = 1
        let directory = LDAPDirectory(settings: settings)
        let calls = LDAPDirectory.maximumInFlight + 12
        let results = await withTaskGroup(of: String.self) { group in
            for index in 0..<calls {
                group.addTask {
                    do {
                        _ = try await directory.authenticate(username: "u\(index)", password: "p")
                        return "answered"
                    } catch let error as LDAPError {
                        return error.description
                    } catch {
                        return "other: \(error)"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(!results.contains("answered"), "a silent directory never logs anyone in")
        let refused = results.filter { $0.contains("in flight") }.count
        #expect(refused >= calls - LDAPDirectory.maximumInFlight, "\(results)")
        #expect(results.allSatisfy { $0.hasPrefix("LDAP server unavailable") || $0.hasPrefix("LDAP error") }, "\(results)")
    }
}
