import Glibc

/// DER encoding of an X.509 SubjectAltName value (GeneralNames) for DNS names and IP addresses.
enum SubjectAlternativeNames {
    /// `SEQUENCE OF GeneralName`: `[2] dNSName` (IA5String) or `[7] iPAddress` (4 or 16 octets).
    static func der(_ hosts: [String]) throws -> [UInt8] {
        var body: [UInt8] = []
        for host in hosts {
            if let address = ipAddress(host) {
                body += tagged(0x87, address)
            } else {
                guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                    throw HTTPServerError.tls("invalid host name for a certificate: \(host)")
                }
                body += tagged(0x82, Array(host.utf8))
            }
        }
        return tagged(0x30, body)
    }

    /// The network-order bytes of an IPv4 or IPv6 literal.
    static func ipAddress(_ text: String) -> [UInt8]? {
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &v4) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &v6) == 1 { return v6 }
        return nil
    }

    /// A DER tag-length-value.
    static func tagged(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [tag]
        let length = content.count
        if length < 0x80 {
            out.append(UInt8(length))
        } else {
            var bytes: [UInt8] = []
            var rest = length
            while rest > 0 { bytes.insert(UInt8(rest & 0xFF), at: 0); rest >>= 8 }
            out.append(0x80 | UInt8(bytes.count))
            out += bytes
        }
        return out + content
    }
}
