import BerthCore
import Glibc
import HTTPServer

/// Built-in HTTPS. Off while `listen` is empty. JSON keys (under `tls`) and environment variables:
///
/// | key | environment | meaning |
/// |---|---|---|
/// | `listen` | `BERTH_TLS_LISTEN` | `HOST:PORT` of the HTTPS listener (the HTTP listener keeps running) |
/// | `certificate` | `BERTH_TLS_CERTIFICATE` | PEM certificate chain file |
/// | `privateKey` | `BERTH_TLS_PRIVATE_KEY` | PEM private key file |
/// | `selfSigned` | `BERTH_TLS_SELF_SIGNED` | generate a self-signed pair in `DATA/tls/` at first start (trials) |
///
/// TLS 1.2 and 1.3 only. SIGHUP re-reads the certificate and key.
public struct TLSSettings: Codable, Sendable, Equatable {
    public var listen = ""
    public var certificate = ""
    public var privateKey = ""
    public var selfSigned = false

    public init() {}

    public var isEnabled: Bool { !listen.isEmpty }

    enum CodingKeys: String, CodingKey { case listen, certificate, privateKey, selfSigned }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        listen = try c.decodeIfPresent(String.self, forKey: .listen) ?? listen
        certificate = try c.decodeIfPresent(String.self, forKey: .certificate) ?? certificate
        privateKey = try c.decodeIfPresent(String.self, forKey: .privateKey) ?? privateKey
        selfSigned = try c.decodeIfPresent(Bool.self, forKey: .selfSigned) ?? selfSigned
    }

    /// Applies `BERTH_TLS_*` variables.
    public mutating func applyEnvironment(_ lookup: (String) -> String?) {
        if let value = lookup("BERTH_TLS_LISTEN") { listen = value }
        if let value = lookup("BERTH_TLS_CERTIFICATE") { certificate = value }
        if let value = lookup("BERTH_TLS_PRIVATE_KEY") { privateKey = value }
        if let value = lookup("BERTH_TLS_SELF_SIGNED") { selfSigned = ["1", "true", "yes"].contains(value.lowercased()) }
    }

    /// Checks the settings once, at start.
    public func validate() throws(ConfigurationError) {
        guard isEnabled else { return }
        if !selfSigned && (certificate.isEmpty || privateKey.isEmpty) {
            throw ConfigurationError("tls.listen needs tls.certificate and tls.privateKey, or tls.selfSigned")
        }
        _ = try BerthConfiguration.address(listen)
    }

    /// The certificate files to serve, generating a self-signed pair under `DATA/tls/` when asked to and
    /// when none exists yet. Returns nil when HTTPS is off.
    func resolve(dataDirectory: String) throws -> TLSConfiguration? {
        guard isEnabled else { return nil }
        if !certificate.isEmpty && !privateKey.isEmpty {
            return TLSConfiguration(certificateChainPath: certificate, privateKeyPath: privateKey)
        }
        let directory = dataDirectory + "/tls"
        let certPath = directory + "/berth-selfsigned.crt", keyPath = directory + "/berth-selfsigned.key"
        if access(certPath, R_OK) != 0 || access(keyPath, R_OK) != 0 {
            try DataDirectory.prepare(directory)
            try SelfSignedCertificate.generate(certPath: certPath, keyPath: keyPath)
            Console.out("Generated a self-signed TLS certificate for trials: \(certPath) "
                + "(give clients this file as their CA, e.g. podman --cert-dir, curl --cacert)")
        }
        return TLSConfiguration(certificateChainPath: certPath, privateKeyPath: keyPath)
    }
}
