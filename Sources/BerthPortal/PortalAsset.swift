/// One file of the web portal: its path under `portal/`, content type, entity tag and text.
public struct PortalAsset: Sendable {
    /// The path relative to the portal root, e.g. `index.html` or `js/app.js`.
    public let path: String
    /// The `Content-Type` to serve it with.
    public let contentType: String
    /// A strong entity tag (quoted) derived from the content.
    public let etag: String
    /// The file's text (UTF-8).
    public let text: String

    /// Creates an asset.
    public init(path: String, contentType: String, etag: String, text: String) {
        self.path = path
        self.contentType = contentType
        self.etag = etag
        self.text = text
    }

    /// The body bytes.
    public var bytes: [UInt8] { Array(text.utf8) }
}
