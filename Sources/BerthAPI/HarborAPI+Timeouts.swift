import BerthAuth

extension HarborAPI {
    /// This API with Harbor's `session_timeout` and `token_expiration` (minutes) readable and changeable
    /// through `/configurations`.
    public func controllingTimeouts(_ timeouts: SecurityTimeouts) -> HarborAPI {
        var api = self
        api.timeouts = timeouts
        return api
    }

    /// Refuses out-of-range timeouts before anything in the update is applied.
    func validateTimeouts(_ update: ConfigurationUpdate) throws {
        guard update.session_timeout != nil || update.token_expiration != nil else { return }
        guard timeouts != nil else { throw HarborError.badRequest("the timeouts cannot be changed here") }
        if let minutes = update.session_timeout, !SecurityTimeouts.sessionMinutes.contains(minutes) {
            throw HarborError.badRequest("session_timeout must be between \(SecurityTimeouts.sessionMinutes.lowerBound) "
                                         + "and \(SecurityTimeouts.sessionMinutes.upperBound) minutes")
        }
        if let minutes = update.token_expiration, !SecurityTimeouts.tokenMinutes.contains(minutes) {
            throw HarborError.badRequest("token_expiration must be between \(SecurityTimeouts.tokenMinutes.lowerBound) "
                                         + "and \(SecurityTimeouts.tokenMinutes.upperBound) minutes")
        }
    }

    /// Stores the timeouts `update` sets and returns the keys that changed, for the audit log.
    func applyTimeouts(_ update: ConfigurationUpdate) async throws -> [String] {
        guard let timeouts, update.session_timeout != nil || update.token_expiration != nil else { return [] }
        await timeouts.refreshIfStale()
        let before = timeouts.current
        try await timeouts.change(sessionMinutes: update.session_timeout, tokenMinutes: update.token_expiration)
        let after = timeouts.current
        return (before.sessionSeconds != after.sessionSeconds ? [SecurityTimeouts.sessionKey] : [])
            + (before.tokenSeconds != after.tokenSeconds ? [SecurityTimeouts.tokenKey] : [])
    }
}
