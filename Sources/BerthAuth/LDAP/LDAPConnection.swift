import CLDAP
import Glibc

/// One connection to a directory through OpenLDAP's libldap, used by one thread for one short exchange
/// (connect, bind, search, close). libldap calls block, so callers run them on the blocking pool.
final class LDAPConnection {
    private let handle: OpaquePointer
    private let timeoutSeconds: Int

    /// Opens a handle for `url` (`ldap://` or `ldaps://`): protocol version 3, no referral chasing, and a
    /// network and operation timeout. With `verifyCert` false, an `ldaps://` server's certificate is not
    /// checked (for private test directories only).
    init(url: String, timeoutSeconds: Int, verifyCert: Bool) throws(LDAPError) {
        guard url.hasPrefix("ldap://") || url.hasPrefix("ldaps://") else {
            throw .invalidInput("ldap_url must start with ldap:// or ldaps://")
        }
        var ld: OpaquePointer?
        let code = ldap_initialize(&ld, url)
        guard code == LDAP_SUCCESS, let ld else { throw .invalidInput("ldap_url is not usable: \(Self.message(code))") }
        handle = ld
        self.timeoutSeconds = max(1, timeoutSeconds)
        var version = LDAP_VERSION3
        var off: Int32 = 0
        var timeout = timeval(tv_sec: self.timeoutSeconds, tv_usec: 0)
        _ = ldap_set_option(handle, LDAP_OPT_PROTOCOL_VERSION, &version)
        _ = ldap_set_option(handle, LDAP_OPT_REFERRALS, &off)
        _ = ldap_set_option(handle, LDAP_OPT_NETWORK_TIMEOUT, &timeout)
        _ = ldap_set_option(handle, LDAP_OPT_TIMEOUT, &timeout)
        var require = verifyCert ? LDAP_OPT_X_TLS_DEMAND : LDAP_OPT_X_TLS_NEVER
        _ = ldap_set_option(handle, LDAP_OPT_X_TLS_REQUIRE_CERT, &require)
        var newContext: Int32 = 0
        _ = ldap_set_option(handle, LDAP_OPT_X_TLS_NEWCTX, &newContext)
    }

    deinit {
        _ = ldap_unbind_ext_s(handle, nil, nil)
    }

    /// A simple bind. An empty password is refused here: LDAP treats it as an anonymous bind that
    /// "succeeds", which must never count as a login.
    func bind(dn: String, password: String) throws(LDAPError) {
        guard !password.isEmpty else { throw .invalidCredentials }
        var bytes = Array(password.utf8)
        let code = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                var credential = berval(bv_len: ber_len_t(buffer.count), bv_val: chars)
                return ldap_sasl_bind_s(handle, dn, nil, &credential, nil, nil, nil)
            }
        }
        for index in bytes.indices { bytes[index] = 0 }
        try check(code)
    }

    /// An anonymous bind (for directories that allow anonymous search).
    func bindAnonymously() throws(LDAPError) {
        var empty = berval(bv_len: 0, bv_val: nil)
        try check(ldap_sasl_bind_s(handle, "", nil, &empty, nil, nil, nil))
    }

    /// Entries under `base` within `scope` (0 base, 1 one level, 2 subtree) that match `filter`, with the
    /// given attributes, at most `limit` of them (more are cut off, not an error).
    func search(base: String, scope: Int32, filter: String, attributes: [String], limit: Int) throws(LDAPError) -> [LDAPEntry] {
        var names: [UnsafeMutablePointer<CChar>?] = attributes.map { strdup($0) }
        names.append(nil)
        defer { for name in names { free(name) } }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        var result: OpaquePointer?
        let code = names.withUnsafeMutableBufferPointer { list in
            ldap_search_ext_s(handle, base, scope, filter, list.baseAddress, 0, nil, nil, &timeout, Int32(limit), &result)
        }
        defer { if let result { ldap_msgfree(result) } }
        if code != LDAP_SIZELIMIT_EXCEEDED && code != LDAP_NO_SUCH_OBJECT { try check(code) }
        guard let result else { return [] }
        var entries: [LDAPEntry] = []
        var entry = ldap_first_entry(handle, result)
        while let current = entry, entries.count < limit {
            entries.append(read(current, attributes))
            entry = ldap_next_entry(handle, current)
        }
        return entries
    }

    private func read(_ entry: OpaquePointer, _ attributes: [String]) -> LDAPEntry {
        var dn = ""
        if let text = ldap_get_dn(handle, entry) {
            dn = String(cString: text)
            ldap_memfree(text)
        }
        var values: [String: [String]] = [:]
        for name in attributes {
            guard let list = ldap_get_values_len(handle, entry, name) else { continue }
            var texts: [String] = []
            var index = 0
            while let value = list[index] {
                let buffer = UnsafeRawBufferPointer(start: value.pointee.bv_val, count: Int(value.pointee.bv_len))
                texts.append(String(decoding: buffer, as: UTF8.self))
                index += 1
            }
            ldap_value_free_len(list)
            values[name.lowercased()] = texts
        }
        return LDAPEntry(dn: dn, attributes: values)
    }

    private func check(_ code: Int32) throws(LDAPError) {
        switch code {
        case LDAP_SUCCESS: return
        case LDAP_INVALID_CREDENTIALS: throw .invalidCredentials
        case LDAP_SERVER_DOWN, LDAP_TIMEOUT, LDAP_CONNECT_ERROR, LDAP_UNAVAILABLE, LDAP_BUSY:
            throw .unavailable(Self.message(code))
        default: throw .failed(Self.message(code))
        }
    }

    static func message(_ code: Int32) -> String {
        guard let text = ldap_err2string(code) else { return "result \(code)" }
        return String(cString: text)
    }
}
