/// Refusals and validation failures of the identity domain. HTTP layers map them to statuses:
/// `unauthorized` 401, `forbidden` 403, `notFound` 404, `conflict` 409, `invalid…` 400, `locked` 429.
public enum AuthError: Error, Equatable, Sendable {
    case unauthorized(String)
    case forbidden(String)
    case notFound(String)
    case conflict(String)
    case invalidPassword(String)
    case invalidInput(String)
    /// Too many failed logins; retry after the given seconds.
    case locked(retryAfter: Int64)
}
