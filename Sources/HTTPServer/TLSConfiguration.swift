/// TLS settings of a listener: PEM files for the certificate chain (leaf first) and its private key.
/// Only TLS 1.2 and TLS 1.3 are offered.
public struct TLSConfiguration: Sendable, Equatable {
    /// The PEM certificate chain, leaf certificate first.
    public var certificateChainPath: String
    /// The PEM private key of the leaf certificate.
    public var privateKeyPath: String

    /// Creates TLS settings from the two PEM file paths.
    public init(certificateChainPath: String, privateKeyPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
    }
}
