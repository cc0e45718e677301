/// One tar entry's header, with pax and GNU long-name overrides applied.
struct TarEntry {
    enum Kind: Equatable {
        case regular, hardLink, symbolicLink, directory, other
    }

    /// The path as stored (not yet normalised).
    var path: String
    var kind: Kind
    /// Content size in bytes.
    var size: Int
    /// Link target for hard and symbolic links.
    var linkTarget: String
    /// Permission bits.
    var mode: UInt32
}

/// Receives entries from a `TarReader`.
protocol TarEntryVisitor: AnyObject {
    /// Starts an entry; return true to receive its content.
    func begin(_ entry: TarEntry) throws -> Bool
    /// A chunk of the current entry's content (only if `begin` returned true).
    func content(_ bytes: UnsafeRawBufferPointer) throws
    /// Ends the current entry (called for every begun entry).
    func end() throws
}
