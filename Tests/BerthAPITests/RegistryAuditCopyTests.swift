import HTTPServer
import Testing
@testable import BerthAPI

/// The audit log queues a trimmed copy of each pull's request: enough to name the caller, nothing more.
@Suite struct RegistryAuditCopyTests {
    @Test func keepsCredentialsAndAddressOnly() {
        var headers = HTTPHeaders()
        headers.add("Authorization", "Basic YTpi")
        headers.add("Cookie", "sid=abc")
        headers.add("X-Harbor-CSRF-Token", "t0k")
        headers.add("Accept", String(repeating: "application/vnd.oci.image.manifest.v1+json,", count: 8))
        headers.add("User-Agent", "docker/27")
        var request = HTTPRequest(method: .delete, target: "/v2/library/app/manifests/v1?x=1", headers: headers,
                                  remoteAddress: "10.0.0.7:5555")
        request.parameters = ["name": "library/app", "reference": "v1"]
        request.isSecure = true
        let copy = RegistryRoutes.auditCopy(of: request)
        #expect(copy.headers["Authorization"] == "Basic YTpi")
        #expect(copy.headers["Cookie"] == "sid=abc")
        #expect(copy.headers["X-Harbor-CSRF-Token"] == "t0k")
        #expect(copy.headers["Accept"] == nil && copy.headers["User-Agent"] == nil)
        #expect(copy.headers.count == 3)
        #expect(copy.remoteAddress == "10.0.0.7:5555")
        #expect(copy.method == .delete && copy.path == "/v2/library/app/manifests/v1" && copy.isSecure)
        #expect(copy.parameters.isEmpty)
    }
}
