import HTTPServer

/// Harbor's page window: `page` (from 1) and `page_size` (default 10, at most 100).
public struct HarborPaging: Sendable, Equatable {
    public static let defaultSize = 10
    public static let maxSize = 100

    public let page: Int
    public let pageSize: Int

    public init(page: Int = 1, pageSize: Int = HarborPaging.defaultSize) {
        self.page = page
        self.pageSize = pageSize
    }

    /// Reads `page` and `page_size`; BAD_REQUEST when they are not positive numbers or the size is over 100.
    public init(_ request: HTTPRequest) throws(HarborError) {
        page = try Self.number(request.queryValue("page"), name: "page") ?? 1
        pageSize = try Self.number(request.queryValue("page_size"), name: "page_size") ?? Self.defaultSize
        guard pageSize <= Self.maxSize else { throw .badRequest("page_size must not exceed \(Self.maxSize)") }
    }

    /// Rows to skip.
    public var offset: Int { (page - 1) * pageSize }

    private static func number(_ text: String?, name: String) throws(HarborError) -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text), value >= 1, value <= 1_000_000_000 else {
            throw .badRequest("\(name) must be a positive integer")
        }
        return value
    }

    /// The `X-Total-Count` and (when there are neighbours) `Link` headers for a list of `total` rows.
    /// Links repeat the request's query with `page` replaced, as Harbor does.
    public func headers(total: Int, request: HTTPRequest) -> [(String, String)] {
        var headers = [("X-Total-Count", String(total))]
        var links: [String] = []
        if page > 1 { links.append("<\(link(page - 1, request))>; rel=\"prev\"") }
        if offset + pageSize < total { links.append("<\(link(page + 1, request))>; rel=\"next\"") }
        if !links.isEmpty { headers.append(("Link", links.joined(separator: " , "))) }
        return headers
    }

    private func link(_ target: Int, _ request: HTTPRequest) -> String {
        var items = request.query.filter { $0.name != "page" && $0.name != "page_size" }
        items.append((name: "page", value: String(target)))
        items.append((name: "page_size", value: String(pageSize)))
        let query = items.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
        return request.path + "?" + query
    }

    /// Percent-encodes everything but unreserved characters.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 48...57, 65...90, 97...122, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
