internal import COpenSSL
import Glibc

/// Creates a self-signed certificate for first-start trials: an EC P-256 key and a certificate whose
/// subject alternative names cover the given hosts (DNS names and IPv4/IPv6 literals).
public enum SelfSignedCertificate {
    /// `localhost`, `127.0.0.1`, `::1` and this machine's host name.
    public static var defaultHosts: [String] {
        var hosts = ["localhost", "127.0.0.1", "::1"]
        var buffer = [CChar](repeating: 0, count: 256)
        if gethostname(&buffer, buffer.count - 1) == 0 {
            let end = buffer.firstIndex(of: 0) ?? buffer.count
            let name = String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !name.isEmpty && !hosts.contains(name) { hosts.append(name) }
        }
        return hosts
    }

    /// Writes a PEM certificate to `certPath` (mode 0644) and its PEM private key to `keyPath` (mode 0600),
    /// valid from an hour ago for `days` days. The first host is the subject's common name.
    /// Throws `HTTPServerError.tls` on failure.
    public static func generate(certPath: String, keyPath: String, hosts: [String] = defaultHosts,
                                days: Int = 365) throws {
        guard !hosts.isEmpty else { throw HTTPServerError.tls("self-signed certificate: no hosts") }
        ERR_clear_error()
        let key = try makeKey()
        defer { EVP_PKEY_free(key) }
        guard let certificate = X509_new() else { throw HTTPServerError.tls("X509_new: \(TLSContext.lastError())") }
        defer { X509_free(certificate) }
        try fill(certificate, key: key, hosts: hosts, days: days)
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else {
            throw HTTPServerError.tls("X509_sign: \(TLSContext.lastError())")
        }
        let certificatePEM = try pem { PEM_write_bio_X509($0, certificate) }
        let keyPEM = try pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
        try write(keyPEM, to: keyPath, mode: 0o600)
        try write(certificatePEM, to: certPath, mode: 0o644)
    }

    private static func makeKey() throws -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw HTTPServerError.tls("EC key context: \(TLSContext.lastError())")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
              EVP_PKEY_generate(context, &key) == 1, let key else {
            throw HTTPServerError.tls("EC P-256 key generation: \(TLSContext.lastError())")
        }
        return key
    }

    private static func fill(_ certificate: OpaquePointer, key: OpaquePointer, hosts: [String], days: Int) throws {
        var serial = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&serial, Int32(serial.count)) == 1 else { throw HTTPServerError.tls("RAND_bytes failed") }
        serial[0] &= 0x7F
        let number = BN_bin2bn(serial, Int32(serial.count), nil)
        defer { BN_free(number) }
        let mbstringASCII: Int32 = 0x1001 // MBSTRING_ASC, a macro Swift does not import
        guard X509_set_version(certificate, 2) == 1,
              BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil,
              X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nil,
              X509_gmtime_adj(X509_getm_notAfter(certificate), days * 86400) != nil,
              X509_set_pubkey(certificate, key) == 1,
              let name = X509_get_subject_name(certificate),
              X509_NAME_add_entry_by_txt(name, "CN", mbstringASCII, hosts[0], -1, -1, 0) == 1,
              X509_set_issuer_name(certificate, name) == 1 else {
            throw HTTPServerError.tls("certificate fields: \(TLSContext.lastError())")
        }
        try addExtension(certificate, nid: NID_basic_constraints, critical: true, der: [0x30, 0x03, 0x01, 0x01, 0xFF])
        try addExtension(certificate, nid: NID_subject_alt_name, critical: false,
                         der: try SubjectAlternativeNames.der(hosts))
    }

    private static func addExtension(_ certificate: OpaquePointer, nid: Int32, critical: Bool, der: [UInt8]) throws {
        guard let value = ASN1_OCTET_STRING_new() else { throw HTTPServerError.tls("ASN1_OCTET_STRING_new") }
        defer { ASN1_OCTET_STRING_free(value) }
        guard ASN1_OCTET_STRING_set(value, der, Int32(der.count)) == 1,
              let ext = X509_EXTENSION_create_by_NID(nil, nid, critical ? 1 : 0, value) else {
            throw HTTPServerError.tls("extension \(nid): \(TLSContext.lastError())")
        }
        defer { X509_EXTENSION_free(ext) }
        guard X509_add_ext(certificate, ext, -1) == 1 else {
            throw HTTPServerError.tls("X509_add_ext: \(TLSContext.lastError())")
        }
    }

    /// Runs a PEM writer against a memory BIO and returns what it wrote.
    private static func pem(_ writer: (OpaquePointer) -> Int32) throws -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw HTTPServerError.tls("BIO_new") }
        defer { BIO_free(bio) }
        guard writer(bio) == 1 else { throw HTTPServerError.tls("PEM write: \(TLSContext.lastError())") }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = BIO_read(bio, &chunk, Int32(chunk.count))
            if count <= 0 { break }
            output.append(contentsOf: chunk[..<Int(count)])
        }
        return output
    }

    private static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw HTTPServerError.tls("cannot create \(path): errno \(errno)") }
        defer { close(fd) }
        _ = fchmod(fd, mode)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            guard written > 0 else { throw HTTPServerError.tls("cannot write \(path): errno \(errno)") }
            offset += written
        }
    }
}
