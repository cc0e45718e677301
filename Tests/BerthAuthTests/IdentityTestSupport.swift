import BerthAuth
import BerthMetadata
import Glibc
import Synchronization

/// A fresh SQLite identity store in a temporary directory, with a cheap hasher and a settable clock.
struct IdentityFixture {
    let store: SQLiteIdentityStore
    let service: IdentityService
    let clock: TestClock

    init() throws {
        var template = Array("/tmp/berth-identity-XXXXXX".utf8CString)
        let directory = String(cString: template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!)! })
        store = try SQLiteMetadataStore(path: directory + "/berth.db").identityStore()
        let clock = TestClock()
        self.clock = clock
        service = IdentityService(store: store, hasher: PasswordHasherForTests.fast, now: { clock.now })
    }

    func user(_ name: String, admin: Bool = false) async throws -> Principal {
        let record = try await service.createUser(username: name, password: "Passw0rd-\(name)", isSysadmin: admin)
        return .user(UserPrincipal(id: record.id, username: name, isSysadmin: admin, method: "password"))
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let value = Mutex<Int64>(1_700_000_000)
    var now: Int64 { value.withLock { $0 } }
    func advance(_ seconds: Int64) { value.withLock { $0 += seconds } }
}
