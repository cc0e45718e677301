/// Why a cron expression was refused.
public enum CronError: Error, Equatable, Sendable {
    /// Not 5 or 6 fields (nor a known `@` macro).
    case fieldCount(Int)
    /// A field item that is not a number, name, range or step the field allows; carries the field
    /// name and the offending text.
    case invalidField(String, String)
    /// The fields can never all match (e.g. 30 February).
    case neverFires
}
